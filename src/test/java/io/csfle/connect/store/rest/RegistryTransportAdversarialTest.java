package io.csfle.connect.store.rest;

import static io.csfle.connect.testing.RemoteFailureAssertions.assertBoundedMessage;
import static io.csfle.connect.testing.RemoteFailureAssertions.assertChainHoldsNone;
import static io.csfle.connect.testing.RemoteFailureAssertions.assertClientLetGo;
import static io.csfle.connect.testing.RemoteFailureAssertions.assertRedirectRefused;
import static io.csfle.connect.testing.RemoteFailureAssertions.thrownWithin;
import static io.csfle.connect.testing.RemoteMisbehaviour.REDIRECT_PASSWORD;
import static io.csfle.connect.testing.RemoteMisbehaviour.answer;
import static io.csfle.connect.testing.RemoteMisbehaviour.htmlPage;
import static io.csfle.connect.testing.RemoteMisbehaviour.huge;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekStoreException.Kind;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.rest.RegistryClientConfig.BasicAuthSource;
import io.csfle.connect.store.rest.RegistryClientConfig.BearerAuthSource;
import io.csfle.connect.testing.HostileAnswer;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testing.MisbehavingHttpServer;
import io.csfle.connect.testing.MisbehavingServers;
import io.csfle.connect.testing.RemoteMisbehaviour;
import io.csfle.connect.testing.RemoteMisbehaviour.Wire;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RestDekStore} against a registry that misbehaves byte by byte, with the moves of {@link
 * RemoteMisbehaviour}: every answer ends in a {@link DekStoreException} of the right kind, with a
 * bounded message that holds no credential, within the configured bound: read and connect timeouts
 * of 500 ms and one retry give a bound of about 2 s; the assertion allows 5 s. Stalls also prove
 * the exchange was aborted: the server sees the client hang up. Before {@code BoundedHttp}, a stall
 * after the headers blocked until the server let go (the JUnit timeout fails it here).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegistryTransportAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();
  @RegisterExtension final MisbehavingServers servers = new MisbehavingServers();

  static final String TOKEN = "tok-Zq81xVbearer-secret";
  static final String PASSWORD = "pw-Kx77Lm-basic-secret";
  static final String URL_PASSWORD = "pw@Ur55Nq-url-secret";
  static final Duration BOUND = Duration.ofSeconds(5);
  static final String JSON = "application/json";

  /** A KEK answer, its fields begun. */
  static final Wire KEK = new Wire(JSON, "{\"name\":\"k1\",\"kmsType\":\"loc");

  /** A list answer, its first string begun. */
  static final Wire LIST = new Wire(JSON, "[\"");

  static {
    leaks.secret(TOKEN).secret(PASSWORD).secret("alice:" + PASSWORD).secret(URL_PASSWORD);
    leaks.secret("bob:" + URL_PASSWORD).secret("pw%40Ur55Nq-url-secret").secret(REDIRECT_PASSWORD);
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

  /** How a row sets the client up and calls it: a bearer token and getKek unless it says so. */
  record Client(Auth auth, Call call) {
    static final Client DEFAULT = new Client(Auth.BEARER, Call.GET_KEK);
  }

  /** What must come of a row: the exception's kind and the HTTP status it carries (0: none). */
  record Refusal(Kind kind, int status) {}

  static Stream<HostileAnswer<Client, Refusal>> cases() {
    String big = "x".repeat(1024 * 1024);
    return Stream.of(
        fails(htmlPage(200), Kind.REJECTED, 200, "not valid JSON"),
        fails(htmlPage(400), Kind.REJECTED, 400, "HTTP 400"),
        fails(htmlPage(503), Kind.UNAVAILABLE, 503, "2 attempt(s)"),
        fails(RemoteMisbehaviour.truncatedJson(KEK), Kind.REJECTED, 200, "not valid JSON"),
        fails(
            answer("200 with an array where an object belongs", 200, JSON, "[{\"name\":\"k1\"}]"),
            Kind.REJECTED,
            200,
            "expected a JSON object"),
        fails(
            answer(
                "200 with wrong field types",
                200,
                JSON,
                "{\"name\":[\"k1\"],\"kmsType\":{\"a\":1},\"kmsKeyId\":5}"),
            Kind.REJECTED,
            200,
            "is not a string"),
        fails(
                answer("200 with versions as strings", 200, JSON, "[\"1\",\"2\"]"),
                Kind.REJECTED,
                200,
                "expected integers")
            .with(calling(Call.LIST_VERSIONS)),
        fails(
                answer(
                    "200 with a DEK version as a string",
                    200,
                    JSON,
                    "{\"subject\":\"s\",\"version\":\"1\",\"algorithm\":\"AES256_GCM\"}"),
                Kind.REJECTED,
                200,
                "'version' is not an int")
            .with(calling(Call.GET_DEK)),
        fails(
                answer("200 with subjects as an object", 200, JSON, "{\"subjects\":[]}"),
                Kind.REJECTED,
                200,
                "expected a JSON array")
            .with(calling(Call.LIST_SUBJECTS)),
        fails(RemoteMisbehaviour.emptyBody(KEK), Kind.REJECTED, 200, "empty body"),
        fails(
            answer("500 with a 1 MB error body", 500, JSON, error(big)),
            Kind.UNAVAILABLE,
            500,
            "HTTP 500"),
        fails(
            answer("400 with a 50 KB error message", 400, JSON, error(big.substring(0, 50_000))),
            Kind.REJECTED,
            400,
            "more characters"),
        fails(echo(401), Kind.ACCESS_DENIED, 401, "[redacted]"),
        fails(echo(500), Kind.UNAVAILABLE, 500, "[redacted]"),
        fails(
            answer(
                "400 with the token past character 290", 400, JSON, error("y".repeat(290) + TOKEN)),
            Kind.REJECTED,
            400,
            "[redacted"),
        fails(echo(400), Kind.REJECTED, 400, "[redacted]").with(authBy(Auth.BASIC)),
        fails(
                answer("403 echoing the URL password", 403, JSON, error(URL_PASSWORD)),
                Kind.ACCESS_DENIED,
                403,
                "[redacted]")
            .with(authBy(Auth.URL)),
        fails(
            RemoteMisbehaviour.statusLineEchoing("Authorization"),
            Kind.UNAVAILABLE,
            0,
            "[redacted]"),
        fails(
            new RemoteMisbehaviour(
                "Content-Length holding the token",
                200,
                (req, c) -> c.write("HTTP/1.1 200 OK\r\nContent-Length: " + TOKEN + "\r\n\r\n")),
            Kind.UNAVAILABLE,
            0,
            "invalid response"),
        fails(RemoteMisbehaviour.stallBeforeHeaders(), Kind.UNAVAILABLE, 0, "timed out").hangsUp(),
        fails(RemoteMisbehaviour.stallAfterHeaders(KEK), Kind.UNAVAILABLE, 0, "timed out")
            .hangsUp(),
        fails(RemoteMisbehaviour.stallInTheBody(KEK), Kind.UNAVAILABLE, 0, "timed out").hangsUp(),
        fails(RemoteMisbehaviour.hangUpInTheBody(KEK), Kind.UNAVAILABLE, 0, "IOException"),
        fails(
            new RemoteMisbehaviour(
                "hang up mid chunked body",
                200,
                (req, c) ->
                    c.head(200, RemoteMisbehaviour.CHUNKED).write("5\r\n[\"a\",\r\n").hangUp()),
            Kind.UNAVAILABLE,
            0,
            "IOException"),
        fails(RemoteMisbehaviour.chunksTrickledForever(), Kind.UNAVAILABLE, 0, "timed out")
            .hangsUp(),
        fails(
                RemoteMisbehaviour.chunksStreamedForever(),
                Kind.REJECTED,
                200,
                "limit of 262144 bytes")
            .hangsUp(),
        fails(huge(KEK, 50L << 20, true), Kind.REJECTED, 200, "limit of 262144 bytes").hangsUp(),
        fails(huge(KEK, 50L << 20, false), Kind.REJECTED, 200, "limit of 262144 bytes").hangsUp(),
        fails(
                huge(LIST, 80L << 20, true).named("80 MB subject list with Content-Length"),
                Kind.REJECTED,
                200,
                "limit of 67108864 bytes")
            .with(calling(Call.LIST_SUBJECTS))
            .hangsUp());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileAnswer_boundedCleanErrorWithinBound(HostileAnswer<Client, Refusal> c)
      throws Exception {
    MisbehavingHttpServer server = servers.http(c.move());
    RestDekStore registry = registry(config(server.url(), c.setup().auth()));

    DekStoreException e =
        thrownWithin(BOUND, leaks, DekStoreException.class, () -> call(registry, c.setup().call()));

    assertThat(e.kind()).as(e.getMessage()).isEqualTo(c.expected().kind());
    assertThat(e.status()).as(e.getMessage()).isEqualTo(c.expected().status());
    assertBoundedMessage(e, c.mentions());
    assertChainHoldsNone(e, "Zq81", "Kx77", "Ur55", REDIRECT_PASSWORD, "eve:");
    // Never read the rest: of 50 or 80 MB, no more than socket buffers took.
    assertClientLetGo(server, c.clientHangsUp());
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void redirectToAnotherPort_rejectedNotFollowedLocationNotShown(int status) throws Exception {
    MisbehavingHttpServer elsewhere = servers.http(answer("an answer", 200, JSON, "{}"));
    MisbehavingHttpServer server =
        servers.http(RemoteMisbehaviour.redirectTo(status, elsewhere, "/dek-registry/v1/keks/k1"));
    RestDekStore registry = registry(config(server.url(), Auth.BEARER));

    DekStoreException e =
        thrownWithin(BOUND, leaks, DekStoreException.class, () -> registry.getKek("k1", false));

    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.isRetriable()).isFalse();
    assertThat(e.status()).isEqualTo(status);
    assertRedirectRefused(e, server, elsewhere);
    assertThat(server.requests()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET_KEK", "GET_DEK"})
  void entityBodyPastItsLimit_rejectedButListsMayBeLarger(String which) throws Exception {
    // 300 KiB of valid JSON: fine for a list (64 MiB), too much for one KEK or DEK (256 KiB).
    String padding = "p".repeat(300 * 1024);
    MisbehavingHttpServer server =
        servers.http(
            answer(
                "300 KiB of valid JSON",
                200,
                JSON,
                req ->
                    req.path().endsWith("/deks")
                        ? "[\"" + padding + "\"]"
                        : "{\"name\":\"k1\",\"subject\":\"s\",\"doc\":\"" + padding + "\"}"));
    RestDekStore registry = registry(config(server.url(), Auth.BEARER));

    assertThat(registry.listDekSubjects("k1", false)).containsExactly(padding);
    Throwable thrown = leaks.thrown(() -> call(registry, Call.valueOf(which)));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.REJECTED);
              assertThat(e.getMessage()).contains("limit of 262144 bytes", server.url());
            });
  }

  // ---- the registry's own moves ----

  static String error(String message) {
    return "{\"error_code\":40000,\"message\":\"" + message + "\"}";
  }

  /** The registry's error text quoting the Authorization header it was sent. */
  static RemoteMisbehaviour echo(int status) {
    return answer(
        status + " echoing the Authorization header",
        status,
        JSON,
        req -> error("you sent " + req.header("Authorization")));
  }

  // ---- plumbing ----

  static HostileAnswer<Client, Refusal> fails(
      RemoteMisbehaviour move, Kind kind, int status, String mentions) {
    return HostileAnswer.of(move, Client.DEFAULT, new Refusal(kind, status), mentions);
  }

  static UnaryOperator<Client> calling(Call call) {
    return client -> new Client(client.auth(), call);
  }

  static UnaryOperator<Client> authBy(Auth auth) {
    return client -> new Client(auth, client.call());
  }

  private static Object call(RestDekStore registry, Call call) {
    DekAlgorithm gcm = DekAlgorithm.AES256_GCM;
    return switch (call) {
      case GET_KEK -> registry.getKek("k1", false);
      case GET_DEK -> registry.getDek(new DekSubject("k1", "s", gcm), 1, false);
      case LIST_VERSIONS -> registry.listDekVersions(new DekSubject("k1", "s", gcm), false);
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

  private RestDekStore registry(RegistryClientConfig config) {
    return servers.closeAfter(new RestDekStore(config));
  }
}
