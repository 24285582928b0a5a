package io.csfle.connect.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.registry.RegistryClientConfig.BasicAuthSource;
import io.csfle.connect.registry.RegistryClientConfig.BearerAuthSource;
import io.csfle.connect.registry.RegistryException.Kind;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testing.MisbehavingHttpServer;
import io.csfle.connect.testing.MisbehavingHttpServer.Behaviour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RestDekRegistry} against a registry that misbehaves byte by byte: every answer ends in a
 * {@link RegistryException} of the right kind, with a bounded message that holds no credential,
 * within the configured bound: read and connect timeouts of 500 ms and one retry give a bound of
 * about 2 s; the assertion allows 5 s. Stalls also prove the exchange was aborted: the server sees
 * the client hang up. Before {@code BoundedHttp}, a stall after the headers blocked until the
 * server let go (the JUnit timeout fails it here).
 */
class RegistryTransportAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  static final String TOKEN = "tok-Zq81xVbearer-secret";
  static final String PASSWORD = "pw-Kx77Lm-basic-secret";
  static final String URL_PASSWORD = "pw@Ur55Nq-url-secret";
  static final String STOLEN = "stolen-pw-Rd42";
  static final long MAX_MILLIS = 5_000;
  static final int MAX_MESSAGE = 600;

  static {
    leaks.secret(TOKEN).secret(PASSWORD).secret("alice:" + PASSWORD).secret(URL_PASSWORD);
    leaks.secret("bob:" + URL_PASSWORD).secret("pw%40Ur55Nq-url-secret").secret(STOLEN);
  }

  enum Auth {
    BEARER,
    BASIC,
    URL
  }

  enum Call {
    GET_KEK,
    GET_DEK,
    LIST_VERSIONS,
    LIST_SUBJECTS
  }

  /**
   * One hostile answer and what must come of it.
   *
   * @param status the expected RegistryException status, or -1 for any
   * @param clientHangsUp true when the server stalls or sends too much: the client must abort the
   *     exchange (close the connection) rather than wait or read on
   */
  record Case(
      String name,
      Auth auth,
      Call call,
      Behaviour behaviour,
      Kind kind,
      int status,
      String mentions,
      boolean clientHangsUp) {
    Case hangsUp() {
      return new Case(name, auth, call, behaviour, kind, status, mentions, true);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  static Stream<Case> cases() {
    String big = "x".repeat(1024 * 1024);
    return Stream.of(
        fails("200 with an HTML page", json(200, "text/html", "<html><body>Hi</body></html>"))
            .kind(Kind.REJECTED, 200, "not valid JSON"),
        fails("400 with an HTML page", json(400, "text/html", "<html>Bad</html>"))
            .kind(Kind.REJECTED, 400, "HTTP 400"),
        fails("503 with an HTML page", json(503, "text/html", "<html>Down</html>"))
            .kind(Kind.UNAVAILABLE, 503, "2 attempt(s)"),
        fails("200 with truncated JSON", json(200, "{\"name\":\"k1\",\"kmsType\":\"loc"))
            .kind(Kind.REJECTED, 200, "not valid JSON"),
        fails("200 with an array where an object belongs", json(200, "[{\"name\":\"k1\"}]"))
            .kind(Kind.REJECTED, 200, "expected a JSON object"),
        fails(
                "200 with wrong field types",
                json(200, "{\"name\":[\"k1\"],\"kmsType\":{\"a\":1},\"kmsKeyId\":5}"))
            .kind(Kind.REJECTED, 200, "is not a string"),
        fails("200 with versions as strings", json(200, "[\"1\",\"2\"]"))
            .call(Call.LIST_VERSIONS)
            .kind(Kind.REJECTED, 200, "expected integers"),
        fails(
                "200 with a DEK version as a string",
                json(200, "{\"subject\":\"s\",\"version\":\"1\",\"algorithm\":\"AES256_GCM\"}"))
            .call(Call.GET_DEK)
            .kind(Kind.REJECTED, 200, "'version' is not an int"),
        fails("200 with subjects as an object", json(200, "{\"subjects\":[]}"))
            .call(Call.LIST_SUBJECTS)
            .kind(Kind.REJECTED, 200, "expected a JSON array"),
        fails("200 with an empty body", json(200, "")).kind(Kind.REJECTED, 200, "empty body"),
        fails("500 with a 1 MB error body", json(500, error(big)))
            .kind(Kind.UNAVAILABLE, 500, "HTTP 500"),
        fails("400 with a 50 KB error message", json(400, error(big.substring(0, 50_000))))
            .kind(Kind.REJECTED, 400, "more characters"),
        fails("401 echoing the bearer token", echo(401, "Authorization"))
            .kind(Kind.ACCESS_DENIED, 401, "[redacted]"),
        fails("500 echoing the bearer token", echo(500, "Authorization"))
            .kind(Kind.UNAVAILABLE, 500, "[redacted]"),
        fails("400 with the token past character 290", tokenAt(290))
            .kind(Kind.REJECTED, 400, "[redacted"),
        fails("400 echoing the Basic header", echo(400, "Authorization"))
            .auth(Auth.BASIC)
            .kind(Kind.REJECTED, 400, "[redacted]"),
        fails("403 echoing the URL password", (req, c) -> c.respond(403, JSON, error(URL_PASSWORD)))
            .auth(Auth.URL)
            .kind(Kind.ACCESS_DENIED, 403, "[redacted]"),
        fails("status line echoing the token", (req, c) -> c.write(statusLine(req)).hangUp())
            .kind(Kind.UNAVAILABLE, 0, "[redacted]"),
        fails(
                "Content-Length holding the token",
                (req, c) -> c.write("HTTP/1.1 200 OK\r\nContent-Length: " + TOKEN + "\r\n\r\n"))
            .kind(Kind.UNAVAILABLE, 0, "invalid response"),
        fails("stall before the headers", (req, c) -> c.stall())
            .kind(Kind.UNAVAILABLE, 0, "timed out")
            .hangsUp(),
        fails("stall after the headers", (req, c) -> c.head(200, "Content-Length: 100").stall())
            .kind(Kind.UNAVAILABLE, 0, "timed out")
            .hangsUp(),
        fails(
                "Content-Length past the body, then stall",
                (req, c) -> c.head(200, "Content-Length: 1000").write("{\"name\":").stall())
            .kind(Kind.UNAVAILABLE, 0, "timed out")
            .hangsUp(),
        fails(
                "Content-Length past the body, then hang up",
                (req, c) -> c.head(200, "Content-Length: 1000").write("{\"name\":").hangUp())
            .kind(Kind.UNAVAILABLE, 0, "IOException"),
        fails(
                "hang up mid chunked body",
                (req, c) -> c.head(200, CHUNKED).write("5\r\n[\"a\",\r\n").hangUp())
            .kind(Kind.UNAVAILABLE, 0, "IOException"),
        fails(
                "chunked body trickled forever",
                (req, c) -> c.head(200, CHUNKED).chunksForever(new byte[] {' '}, 100))
            .kind(Kind.UNAVAILABLE, 0, "timed out")
            .hangsUp(),
        fails(
                "chunked body streamed forever",
                (req, c) -> c.head(200, CHUNKED).chunksForever(new byte[64 * 1024], 5))
            .kind(Kind.REJECTED, 200, "limit of 262144 bytes")
            .hangsUp(),
        fails(
                "50 MB body with Content-Length",
                (req, c) ->
                    c.head(200, "Content-Length: " + (50 << 20)).flood(50 << 20, (byte) ' '))
            .kind(Kind.REJECTED, 200, "limit of 262144 bytes")
            .hangsUp(),
        fails(
                "50 MB body without Content-Length",
                (req, c) -> c.head(200, "Connection: close").flood(50 << 20, (byte) ' '))
            .kind(Kind.REJECTED, 200, "limit of 262144 bytes")
            .hangsUp(),
        fails(
                "80 MB subject list with Content-Length",
                (req, c) ->
                    c.head(200, "Content-Length: " + (80 << 20)).flood(80 << 20, (byte) ' '))
            .call(Call.LIST_SUBJECTS)
            .kind(Kind.REJECTED, 200, "limit of 67108864 bytes")
            .hangsUp());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void hostileAnswer_boundedCleanErrorWithinBound(Case c) throws Exception {
    MisbehavingHttpServer server = server(c.behaviour());
    RestDekRegistry registry = registry(config(server.url(), c.auth()));

    long start = System.nanoTime();
    Throwable thrown = leaks.thrown(() -> call(registry, c.call()));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(thrown).isInstanceOf(RegistryException.class);
    RegistryException e = (RegistryException) thrown;
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(c.kind());
    if (c.status() >= 0) {
      assertThat(e.status()).as(e.getMessage()).isEqualTo(c.status());
    }
    assertThat(e.getMessage()).contains(c.mentions()).hasSizeLessThanOrEqualTo(MAX_MESSAGE);
    assertThat(chain(e)).doesNotContain("Zq81", "Kx77", "Ur55", STOLEN, "eve:");
    assertThat(elapsedMs).as("elapsed ms").isLessThan(MAX_MILLIS);
    if (c.clientHangsUp()) {
      // The exchange was aborted, not left to run: the server saw every connection closed.
      assertThat(server.awaitHangUps(server.requests().size(), 5_000))
          .as("client hung up on all %s connections", server.requests().size())
          .isTrue();
    }
    // Never read the rest: of 50 or 80 MB, no more than socket buffers took.
    assertThat(server.bytesWritten()).isLessThan(32L << 20);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {301, 302, 303, 307, 308})
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void redirectToAnotherPort_rejectedNotFollowedLocationNotShown(int status) throws Exception {
    MisbehavingHttpServer elsewhere = server((req, c) -> c.respond(200, JSON, "{}"));
    MisbehavingHttpServer server = server(redirect(status, elsewhere));
    RestDekRegistry registry = registry(config(server.url(), Auth.BEARER));

    Throwable thrown = leaks.thrown(() -> registry.getKek("k1", false));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.REJECTED);
              assertThat(e.isRetriable()).isFalse();
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.getMessage())
                  .contains("redirect", server.url())
                  .doesNotContain(String.valueOf(elsewhere.port()), "eve:", STOLEN);
            });
    assertThat(server.requests()).hasSize(1);
    assertThat(elsewhere.requests()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET_KEK", "GET_DEK"})
  void entityBodyPastItsLimit_rejectedButListsMayBeLarger(String which) throws Exception {
    // 300 KiB of valid JSON: fine for a list (64 MiB), too much for one KEK or DEK (256 KiB).
    String padding = "p".repeat(300 * 1024);
    MisbehavingHttpServer server =
        server(
            (req, c) ->
                c.respond(
                    200,
                    JSON,
                    req.path().endsWith("/deks")
                        ? "[\"" + padding + "\"]"
                        : "{\"name\":\"k1\",\"subject\":\"s\",\"doc\":\"" + padding + "\"}"));
    RestDekRegistry registry = registry(config(server.url(), Auth.BEARER));

    assertThat(registry.listDekSubjects("k1", false)).containsExactly(padding);
    Throwable thrown = leaks.thrown(() -> call(registry, Call.valueOf(which)));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.REJECTED);
              assertThat(e.getMessage()).contains("limit of 262144 bytes", server.url());
            });
  }

  // ---- the cases' moves ----

  static final String JSON = "application/json";
  static final String CHUNKED = "Transfer-Encoding: chunked";

  static Behaviour json(int status, String body) {
    return json(status, JSON, body);
  }

  static Behaviour json(int status, String contentType, String body) {
    return (req, c) -> c.respond(status, contentType, body);
  }

  static String error(String message) {
    return "{\"error_code\":40000,\"message\":\"" + message + "\"}";
  }

  static Behaviour echo(int status, String header) {
    return (req, c) -> c.respond(status, JSON, error("you sent " + req.header(header)));
  }

  static Behaviour tokenAt(int position) {
    return (req, c) -> c.respond(400, JSON, error("y".repeat(position) + TOKEN));
  }

  static String statusLine(MisbehavingHttpServer.Request req) {
    return "HTTP/1.1 2x0 " + req.header("Authorization") + "\r\nContent-Length: 0\r\n\r\n";
  }

  /** A redirect to a server on another port with user info in Location. */
  static Behaviour redirect(int status, MisbehavingHttpServer target) {
    String location =
        "http://eve:" + STOLEN + "@127.0.0.1:" + target.port() + "/dek-registry/v1/keks/k1";
    return (req, c) ->
        c.head(status, "Location: " + location, "Content-Length: 0", "Connection: close");
  }

  // ---- plumbing ----

  /** Every message in the chain, causes and suppressed included. */
  static String chain(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        text.append(chain(s));
      }
    }
    return text.toString();
  }

  private static Object call(RestDekRegistry registry, Call call) {
    DekAlgorithm gcm = DekAlgorithm.AES256_GCM;
    return switch (call) {
      case GET_KEK -> registry.getKek("k1", false);
      case GET_DEK -> registry.getDek("k1", "s", 1, gcm, false);
      case LIST_VERSIONS -> registry.listDekVersions("k1", "s", gcm, false);
      case LIST_SUBJECTS -> registry.listDekSubjects("k1", false);
    };
  }

  static RegistryClientConfig config(String url, Auth auth) {
    RegistryClientConfig.Builder b =
        RegistryClientConfig.builder(
                auth == Auth.URL
                    ? url.replace("http://", "http://bob:pw%40Ur55Nq-url-secret@")
                    : url)
            .connectTimeout(Duration.ofMillis(500))
            .requestTimeout(Duration.ofMillis(500))
            .maxRetries(1)
            .initialBackoff(Duration.ofMillis(1))
            .maxBackoff(Duration.ofMillis(5));
    return switch (auth) {
      case BEARER -> b.bearerAuth(BearerAuthSource.STATIC_TOKEN, TOKEN).build();
      case BASIC -> b.basicAuth(BasicAuthSource.USER_INFO, "alice:" + PASSWORD).build();
      case URL -> b.basicAuth(BasicAuthSource.URL, null).build();
    };
  }

  private MisbehavingHttpServer server(Behaviour behaviour) throws Exception {
    MisbehavingHttpServer server = MisbehavingHttpServer.http(behaviour);
    resources.add(server);
    return server;
  }

  private RestDekRegistry registry(RegistryClientConfig config) {
    RestDekRegistry registry = new RestDekRegistry(config);
    resources.add(registry);
    return registry;
  }

  static CaseBuilder fails(String name, Behaviour behaviour) {
    return new CaseBuilder(name, behaviour);
  }

  /** Reads as a sentence in the table: fails(name, move).auth(..).call(..).kind(..). */
  static final class CaseBuilder {
    private final String name;
    private final Behaviour behaviour;
    private Auth auth = Auth.BEARER;
    private Call call = Call.GET_KEK;

    CaseBuilder(String name, Behaviour behaviour) {
      this.name = name;
      this.behaviour = behaviour;
    }

    CaseBuilder auth(Auth auth) {
      this.auth = auth;
      return this;
    }

    CaseBuilder call(Call call) {
      this.call = call;
      return this;
    }

    Case kind(Kind kind, int status, String mentions) {
      return new Case(name, auth, call, behaviour, kind, status, mentions, false);
    }
  }
}
