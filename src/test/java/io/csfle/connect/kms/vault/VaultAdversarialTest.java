package io.csfle.connect.kms.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testing.MisbehavingHttpServer;
import io.csfle.connect.testing.MisbehavingHttpServer.Behaviour;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Vault that misbehaves byte by byte: every answer ends in a {@link KmsException} of the right
 * reason, with a bounded message that holds no token, AppRole secret id or token obtained by a
 * login (not even its first characters, which the old cut-then-check let through), within the
 * request timeout of 500 ms per POST (a call makes at most two here; the assertion allows 5 s).
 * Before {@code BoundedHttp}, a stall after the headers blocked until the server let go.
 */
class VaultAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  static final String TOKEN = "hvs.CAESIFixedTokenQw93xx";
  static final String SECRET_ID = "secret-id-Mv28Tp-approle";
  static final String LOGIN_TOKEN = "hvs.CAESILoginTokenZj64yy";
  static final String STOLEN = "stolen-pw-Vt19";
  static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
  static final long MAX_MILLIS = 5_000;
  static final int MAX_MESSAGE = 600;
  static final byte[] WRAPPED = "vault:v1:AAAA".getBytes(StandardCharsets.UTF_8);

  static {
    leaks.secret(TOKEN).secret(SECRET_ID).secret(LOGIN_TOKEN).secret(STOLEN);
  }

  enum Auth {
    TOKEN,
    APPROLE
  }

  enum Op {
    WRAP,
    UNWRAP
  }

  /** One hostile answer and what must come of it; {@code clientHangsUp}: the client aborts. */
  record Case(
      String name,
      Auth auth,
      Op op,
      Behaviour behaviour,
      Reason reason,
      String mentions,
      boolean clientHangsUp) {
    Case hangsUp() {
      return new Case(name, auth, op, behaviour, reason, mentions, true);
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
        fails("200 with an HTML page", reply(200, "text/html", "<html>Hi</html>"))
            .reason(Reason.UNAVAILABLE, "returned no ciphertext"),
        fails("400 with an HTML page", reply(400, "text/html", "<html>Bad</html>"))
            .reason(Reason.KEY_UNUSABLE, "HTTP 400"),
        fails("503 with an HTML page", reply(503, "text/html", "<html>Down</html>"))
            .reason(Reason.UNAVAILABLE, "HTTP 503"),
        fails("200 with truncated JSON", json(200, "{\"data\":{\"ciphertext\":\"vau"))
            .reason(Reason.UNAVAILABLE, "returned no ciphertext"),
        fails("200 with an array for a ciphertext", json(200, "{\"data\":{\"ciphertext\":[1]}}"))
            .reason(Reason.UNAVAILABLE, "returned no ciphertext"),
        fails("200 with an object for a plaintext", json(200, "{\"data\":{\"plaintext\":{}}}"))
            .op(Op.UNWRAP)
            .reason(Reason.UNAVAILABLE, "returned no plaintext"),
        fails("200 with an array for data", json(200, "{\"data\":[\"vault:v1:AAAA\"]}"))
            .reason(Reason.UNAVAILABLE, "returned no ciphertext"),
        fails("200 with an empty body", json(200, ""))
            .reason(Reason.UNAVAILABLE, "returned no ciphertext"),
        fails("500 with a 1 MB error body", json(500, errors(big)))
            .reason(Reason.UNAVAILABLE, "HTTP 500"),
        fails("400 with a 10 KB error", json(400, errors(big.substring(0, 10_000))))
            .reason(Reason.KEY_UNUSABLE, "more characters"),
        fails("403 echoing the token", echoToken(403, 0))
            .reason(Reason.ACCESS_DENIED, "[redacted]"),
        fails("400 with the token past character 280", echoToken(400, 280))
            .reason(Reason.KEY_UNUSABLE, "[redacted"),
        fails("status line echoing the token", (req, c) -> c.write(statusLine(req)).hangUp())
            .reason(Reason.UNAVAILABLE, "Cannot reach Vault"),
        fails(
                "login 400 echoing the secret id",
                approleLogin(json(400, errors("bad " + SECRET_ID))))
            .auth(Auth.APPROLE)
            .reason(Reason.ACCESS_DENIED, "[redacted]"),
        fails("login token echoed past character 280", approle(echoToken(400, 280)))
            .auth(Auth.APPROLE)
            .reason(Reason.KEY_UNUSABLE, "[redacted"),
        fails("login answer of 50 MB", approleLogin(huge(true)))
            .auth(Auth.APPROLE)
            .reason(Reason.MISCONFIGURED, "limit of 65536 bytes")
            .hangsUp(),
        fails("stall before the headers", (req, c) -> c.stall())
            .reason(Reason.UNAVAILABLE, "timed out")
            .hangsUp(),
        fails("stall after the headers", (req, c) -> c.head(200, "Content-Length: 100").stall())
            .reason(Reason.UNAVAILABLE, "timed out")
            .hangsUp(),
        fails(
                "stall after the login headers",
                approleLogin((req, c) -> c.head(200, "Content-Length: 100").stall()))
            .auth(Auth.APPROLE)
            .reason(Reason.UNAVAILABLE, "timed out")
            .hangsUp(),
        fails(
                "Content-Length past the body, then stall",
                (req, c) -> c.head(200, "Content-Length: 1000").write("{\"data\":").stall())
            .reason(Reason.UNAVAILABLE, "timed out")
            .hangsUp(),
        fails(
                "Content-Length past the body, then hang up",
                (req, c) -> c.head(200, "Content-Length: 1000").write("{\"data\":").hangUp())
            .reason(Reason.UNAVAILABLE, "Cannot reach Vault"),
        fails(
                "chunked body trickled forever",
                (req, c) -> c.head(200, CHUNKED).chunksForever(new byte[] {' '}, 100))
            .reason(Reason.UNAVAILABLE, "timed out")
            .hangsUp(),
        fails(
                "chunked body streamed forever",
                (req, c) -> c.head(200, CHUNKED).chunksForever(new byte[64 * 1024], 5))
            .reason(Reason.MISCONFIGURED, "limit of 65536 bytes")
            .hangsUp(),
        fails("50 MB body with Content-Length", huge(true))
            .reason(Reason.MISCONFIGURED, "limit of 65536 bytes")
            .hangsUp(),
        fails("50 MB body without Content-Length", huge(false))
            .op(Op.UNWRAP)
            .reason(Reason.MISCONFIGURED, "limit of 65536 bytes")
            .hangsUp());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void hostileAnswer_boundedCleanErrorWithinBound(Case c) throws Exception {
    MisbehavingHttpServer server = server(c.behaviour());
    Kek kek = kek(server, c.auth());

    long start = System.nanoTime();
    Throwable thrown = leaks.thrown(() -> call(kek, c.op()));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(thrown).isInstanceOf(KmsException.class);
    KmsException e = (KmsException) thrown;
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(c.reason());
    assertThat(e.getMessage()).contains(c.mentions()).hasSizeLessThanOrEqualTo(MAX_MESSAGE);
    // The first characters of a token are a leak too: the old code cut, then looked for it whole.
    assertThat(chain(e)).doesNotContain("hvs.CAESI", "Mv28", STOLEN);
    assertThat(elapsedMs).as("elapsed ms").isLessThan(MAX_MILLIS);
    if (c.clientHangsUp()) {
      int connections = server.requests().size();
      assertThat(server.awaitHangUps(1, 5_000))
          .as("client hung up (%s connections)", connections)
          .isTrue();
    }
    assertThat(server.bytesWritten()).isLessThan(32L << 20);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {301, 302, 303, 307, 308})
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void redirectToAnotherPort_notFollowedTokenStaysHome(int status) throws Exception {
    MisbehavingHttpServer elsewhere = server((req, c) -> c.respond(200, JSON, "{}"));
    String location = "http://eve:" + STOLEN + "@127.0.0.1:" + elsewhere.port() + "/v1/x";
    MisbehavingHttpServer server =
        server((req, c) -> c.head(status, "Location: " + location, "Content-Length: 0"));

    for (Auth auth : Auth.values()) {
      Throwable thrown = leaks.thrown(() -> kek(server, auth).wrap(new byte[32]));

      assertThat(thrown)
          .isInstanceOfSatisfying(
              KmsException.class,
              e -> {
                assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.MISCONFIGURED);
                assertThat(e.getMessage())
                    .contains("redirect", "HTTP " + status, server.url())
                    .doesNotContain(String.valueOf(elsewhere.port()), "eve:", STOLEN);
              });
    }
    assertThat(elsewhere.requests()).isEmpty();
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void clientThatFollowsRedirects_refused() {
    HttpClient following =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    assertThat(catchThrowable(() -> new VaultHttp(following, null, REQUEST_TIMEOUT)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never follow redirects");
  }

  // ---- the cases' moves ----

  static final String JSON = "application/json";
  static final String CHUNKED = "Transfer-Encoding: chunked";

  static Behaviour json(int status, String body) {
    return reply(status, JSON, body);
  }

  static Behaviour reply(int status, String contentType, String body) {
    return (req, c) -> c.respond(status, contentType, body);
  }

  static String errors(String message) {
    return "{\"errors\":[\"" + message + "\"]}";
  }

  /** Vault's error text with the token it was sent, {@code position} characters in. */
  static Behaviour echoToken(int status, int position) {
    return (req, c) ->
        c.respond(
            status, JSON, errors("y".repeat(position) + "token " + req.header("X-Vault-Token")));
  }

  static Behaviour huge(boolean withLength) {
    long size = 50L << 20;
    return (req, c) ->
        c.head(200, withLength ? "Content-Length: " + size : "Connection: close")
            .flood(size, (byte) ' ');
  }

  static String statusLine(MisbehavingHttpServer.Request req) {
    return "HTTP/1.1 2x0 " + req.header("X-Vault-Token") + "\r\nContent-Length: 0\r\n\r\n";
  }

  /** A login that succeeds with {@link #LOGIN_TOKEN}, then {@code transit} for transit calls. */
  static Behaviour approle(Behaviour transit) {
    return (req, c) -> {
      if (req.path().endsWith("/auth/approle/login")) {
        c.respond(200, JSON, "{\"auth\":{\"client_token\":\"" + LOGIN_TOKEN + "\"}}");
      } else {
        transit.respond(req, c);
      }
    };
  }

  /** {@code login} for the login, a plain 500 for anything else. */
  static Behaviour approleLogin(Behaviour login) {
    return (req, c) -> {
      if (req.path().endsWith("/auth/approle/login")) {
        login.respond(req, c);
      } else {
        c.respond(500, JSON, errors("unexpected"));
      }
    };
  }

  // ---- plumbing ----

  private static Object call(Kek kek, Op op) {
    return op == Op.WRAP ? kek.wrap(new byte[32]) : kek.unwrap(WRAPPED);
  }

  private static Kek kek(MisbehavingHttpServer server, Auth auth) {
    Map<String, String> properties =
        auth == Auth.TOKEN
            ? Map.of("token.id", TOKEN)
            : Map.of("approle.role.id", "role-1", "approle.secret.id", SECRET_ID);
    return new VaultKekProvider(name -> null, REQUEST_TIMEOUT)
        .create(server.url() + "/transit/keys/orders", properties);
  }

  private MisbehavingHttpServer server(Behaviour behaviour) throws Exception {
    MisbehavingHttpServer server = MisbehavingHttpServer.http(behaviour);
    resources.add(server);
    return server;
  }

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

  static CaseBuilder fails(String name, Behaviour behaviour) {
    return new CaseBuilder(name, behaviour);
  }

  /** Reads as a sentence in the table: fails(name, move).auth(..).op(..).reason(..). */
  static final class CaseBuilder {
    private final String name;
    private final Behaviour behaviour;
    private Auth auth = Auth.TOKEN;
    private Op op = Op.WRAP;

    CaseBuilder(String name, Behaviour behaviour) {
      this.name = name;
      this.behaviour = behaviour;
    }

    CaseBuilder auth(Auth auth) {
      this.auth = auth;
      return this;
    }

    CaseBuilder op(Op op) {
      this.op = op;
      return this;
    }

    Case reason(Reason reason, String mentions) {
      return new Case(name, auth, op, behaviour, reason, mentions, false);
    }
  }
}
