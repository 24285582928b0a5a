package io.csfle.connect.testing;

import io.csfle.connect.testing.MisbehavingHttpServer.Behaviour;
import io.csfle.connect.testing.MisbehavingHttpServer.Request;
import java.util.function.Function;

/**
 * One named way for a remote service (a KMS, a DEK registry) to misbehave, as a row of a
 * parameterized test. This is the one catalogue the adversarial tests of our HTTP clients draw
 * from, so every client is shown the same stalls, floods, cuts and garbled answers, and each test
 * says only what is its own: how to build and call its client, and what must come of each row.
 *
 * <p>Rows that imitate a good answer take a {@link Wire}: the content type and the first bytes of a
 * good answer, so the client has begun to parse before the server lets it down.
 *
 * @param status the status in the status line the server sends, 0 when it sends none
 */
public record RemoteMisbehaviour(String name, int status, Behaviour behaviour) {
  public static final String HTML = "text/html";
  public static final String CHUNKED = "Transfer-Encoding: chunked";
  public static final String CLOSE = "Connection: close";

  /** The password a redirect puts into its Location; a test registers it with its LeakWatch. */
  public static final String REDIRECT_PASSWORD = "stolen-pw-Rd42";

  /** What a proxy or a misrouted load balancer sends instead of the service's own answer. */
  private static final String PAGE = "<html><body>Welcome to the proxy</body></html>";

  /** What a good answer looks like to the client under test. */
  public record Wire(String contentType, String goodStart) {
    String typeHeader() {
      return "Content-Type: " + contentType;
    }
  }

  /** Parameterized tests show the row by its name. */
  @Override
  public String toString() {
    return name;
  }

  /** The same move under a name that says more in its test's table. */
  public RemoteMisbehaviour named(String newName) {
    return new RemoteMisbehaviour(newName, status, behaviour);
  }

  // ---- stalls: the client must give up within its bound and hang up ----

  public static RemoteMisbehaviour stallBeforeHeaders() {
    return new RemoteMisbehaviour("stall before the headers", 0, (r, c) -> c.stall());
  }

  public static RemoteMisbehaviour stallAfterHeaders(Wire wire) {
    return new RemoteMisbehaviour(
        "stall after the headers",
        200,
        (r, c) -> c.head(200, wire.typeHeader(), "Content-Length: 500", CLOSE).stall());
  }

  /** Promises more body than it sends, sends the start of a good answer, then stalls. */
  public static RemoteMisbehaviour stallInTheBody(Wire wire) {
    return new RemoteMisbehaviour(
        "Content-Length past the body, then stall",
        200,
        (r, c) ->
            c.head(200, wire.typeHeader(), "Content-Length: 1000", CLOSE)
                .write(wire.goodStart())
                .stall());
  }

  /** A byte at a time, each sooner than a read timeout: only a bound on the whole call ends it. */
  public static RemoteMisbehaviour dripBody(Wire wire) {
    return new RemoteMisbehaviour(
        "body dripped a byte at a time, faster than the read timeout",
        200,
        (r, c) ->
            c.head(200, wire.typeHeader(), "Content-Length: 1000000", CLOSE)
                .write(wire.goodStart())
                .drip(new byte[] {'A'}, 200));
  }

  public static RemoteMisbehaviour chunksTrickledForever() {
    return new RemoteMisbehaviour(
        "chunked body trickled forever",
        200,
        (r, c) -> c.head(200, CHUNKED).chunksForever(new byte[] {' '}, 100));
  }

  // ---- too much: the client must stop reading, not take it all in ----

  public static RemoteMisbehaviour chunksStreamedForever() {
    return new RemoteMisbehaviour(
        "chunked body streamed forever",
        200,
        (r, c) -> c.head(200, CHUNKED).chunksForever(new byte[64 * 1024], 5));
  }

  /** The start of a good answer, then {@code bytes} in all, said up front or not. */
  public static RemoteMisbehaviour huge(Wire wire, long bytes, boolean withLength) {
    return new RemoteMisbehaviour(
        (bytes >> 20) + " MB body " + (withLength ? "with" : "without") + " Content-Length",
        200,
        (r, c) -> {
          String start = wire.goodStart();
          c.head(200, wire.typeHeader(), withLength ? "Content-Length: " + bytes : CLOSE)
              .write(start);
          c.flood(bytes - start.length(), (byte) 'A');
        });
  }

  // ---- cut short or garbled ----

  /** Promises more body than it sends, sends the start of a good answer, then hangs up. */
  public static RemoteMisbehaviour hangUpInTheBody(Wire wire) {
    return new RemoteMisbehaviour(
        "Content-Length past the body, then hang up",
        200,
        (r, c) ->
            c.head(200, wire.typeHeader(), "Content-Length: 1000", CLOSE)
                .write(wire.goodStart())
                .hangUp());
  }

  public static RemoteMisbehaviour truncatedJson(Wire wire) {
    return answer("200 with truncated JSON", 200, wire.contentType(), wire.goodStart());
  }

  public static RemoteMisbehaviour emptyBody(Wire wire) {
    return answer("200 with an empty body", 200, wire.contentType(), "");
  }

  public static RemoteMisbehaviour htmlPage(int status) {
    return answer(status + " with an HTML page", status, HTML, PAGE);
  }

  /** A whole answer: status, content type, body and any more header lines. */
  public static RemoteMisbehaviour answer(
      String name, int status, String contentType, String body, String... headerLines) {
    return new RemoteMisbehaviour(
        name, status, (r, c) -> c.respond(status, contentType, body, headerLines));
  }

  /** A whole answer made from the request, as a server that quotes what it was sent. */
  public static RemoteMisbehaviour answer(
      String name, int status, String contentType, Function<Request, String> body) {
    return new RemoteMisbehaviour(
        name, status, (r, c) -> c.respond(status, contentType, body.apply(r)));
  }

  /** A status line that is no status line, quoting a request header, then hangs up. */
  public static RemoteMisbehaviour statusLineEchoing(String header) {
    return new RemoteMisbehaviour(
        "status line echoing the " + header + " header",
        0,
        (r, c) ->
            c.write("HTTP/1.1 2x0 " + r.header(header) + "\r\nContent-Length: 0\r\n\r\n").hangUp());
  }

  /**
   * A redirect to {@code target} with {@link #REDIRECT_PASSWORD} in the Location's user info: a
   * client that followed it would hand its credentials to another server.
   */
  public static RemoteMisbehaviour redirectTo(
      int status, MisbehavingHttpServer target, String path) {
    String location = "http://eve:" + REDIRECT_PASSWORD + "@127.0.0.1:" + target.port() + path;
    return new RemoteMisbehaviour(
        "HTTP " + status + " to another port",
        status,
        (r, c) -> c.head(status, "Location: " + location, "Content-Length: 0", CLOSE));
  }
}
