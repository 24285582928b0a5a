package io.csfle.connect.kms.vault;

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
import static org.assertj.core.api.Assertions.catchThrowable;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.testing.HostileAnswer;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testing.MisbehavingHttpServer;
import io.csfle.connect.testing.MisbehavingServers;
import io.csfle.connect.testing.RemoteMisbehaviour;
import io.csfle.connect.testing.RemoteMisbehaviour.Wire;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Vault that misbehaves byte by byte, with the moves of {@link RemoteMisbehaviour}: every answer
 * ends in a {@link KmsException} of the right reason, with a bounded message that holds no token,
 * AppRole secret id or token obtained by a login (not even its first characters, which the old
 * cut-then-check let through), within the request timeout of 500 ms per POST (a call makes at most
 * two here; the assertion allows 5 s). Before {@code BoundedHttp}, a stall after the headers
 * blocked until the server let go.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VaultAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();
  @RegisterExtension final MisbehavingServers servers = new MisbehavingServers();

  static final String TOKEN = "hvs.CAESIFixedTokenQw93xx";
  static final String SECRET_ID = "secret-id-Mv28Tp-approle";
  static final String LOGIN_TOKEN = "hvs.CAESILoginTokenZj64yy";
  static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
  static final Duration BOUND = Duration.ofSeconds(5);
  static final byte[] WRAPPED = "vault:v1:AAAA".getBytes(StandardCharsets.UTF_8);
  static final String JSON = "application/json";

  /** A transit answer, its ciphertext begun. */
  static final Wire TRANSIT = new Wire(JSON, "{\"data\":{\"ciphertext\":\"vau");

  static {
    leaks.secret(TOKEN).secret(SECRET_ID).secret(LOGIN_TOKEN).secret(REDIRECT_PASSWORD);
  }

  enum Auth {
    TOKEN,
    APPROLE
  }

  enum Op {
    WRAP,
    UNWRAP
  }

  /** How a row sets the client up and calls it: a token and wrap unless the row says otherwise. */
  record Client(Auth auth, Op op) {
    static final Client DEFAULT = new Client(Auth.TOKEN, Op.WRAP);

    Client approle() {
      return new Client(Auth.APPROLE, op);
    }

    Client unwrapping() {
      return new Client(auth, Op.UNWRAP);
    }
  }

  static Stream<HostileAnswer<Client, Reason>> cases() {
    String big = "x".repeat(1024 * 1024);
    long fifty = 50L << 20;
    return Stream.of(
        fails(htmlPage(200), Reason.UNAVAILABLE, "returned no ciphertext"),
        fails(htmlPage(400), Reason.KEY_UNUSABLE, "HTTP 400"),
        fails(htmlPage(503), Reason.UNAVAILABLE, "HTTP 503"),
        fails(
            RemoteMisbehaviour.truncatedJson(TRANSIT),
            Reason.UNAVAILABLE,
            "returned no ciphertext"),
        fails(
            answer(
                "200 with an array for a ciphertext", 200, JSON, "{\"data\":{\"ciphertext\":[1]}}"),
            Reason.UNAVAILABLE,
            "returned no ciphertext"),
        fails(
                answer(
                    "200 with an object for a plaintext",
                    200,
                    JSON,
                    "{\"data\":{\"plaintext\":{}}}"),
                Reason.UNAVAILABLE,
                "returned no plaintext")
            .with(Client::unwrapping),
        fails(
            answer("200 with an array for data", 200, JSON, "{\"data\":[\"vault:v1:AAAA\"]}"),
            Reason.UNAVAILABLE,
            "returned no ciphertext"),
        fails(RemoteMisbehaviour.emptyBody(TRANSIT), Reason.UNAVAILABLE, "returned no ciphertext"),
        fails(
            answer("500 with a 1 MB error body", 500, JSON, errors(big)),
            Reason.UNAVAILABLE,
            "HTTP 500"),
        fails(
            answer("400 with a 10 KB error", 400, JSON, errors(big.substring(0, 10_000))),
            Reason.KEY_UNUSABLE,
            "more characters"),
        fails(echoToken(403, 0), Reason.ACCESS_DENIED, "[redacted]"),
        fails(echoToken(400, 280), Reason.KEY_UNUSABLE, "[redacted"),
        fails(
            RemoteMisbehaviour.statusLineEchoing("X-Vault-Token"),
            Reason.UNAVAILABLE,
            "Cannot reach Vault"),
        fails(
                approleLogin(
                    answer("400 echoing the secret id", 400, JSON, errors("bad " + SECRET_ID))),
                Reason.ACCESS_DENIED,
                "[redacted]")
            .with(Client::approle),
        fails(approle(echoToken(400, 280)), Reason.KEY_UNUSABLE, "[redacted").with(Client::approle),
        fails(
                approleLogin(huge(TRANSIT, fifty, true)),
                Reason.MISCONFIGURED,
                "limit of 65536 bytes")
            .with(Client::approle)
            .hangsUp(),
        fails(RemoteMisbehaviour.stallBeforeHeaders(), Reason.UNAVAILABLE, "timed out").hangsUp(),
        fails(RemoteMisbehaviour.stallAfterHeaders(TRANSIT), Reason.UNAVAILABLE, "timed out")
            .hangsUp(),
        fails(
                approleLogin(RemoteMisbehaviour.stallAfterHeaders(TRANSIT)),
                Reason.UNAVAILABLE,
                "timed out")
            .with(Client::approle)
            .hangsUp(),
        fails(RemoteMisbehaviour.stallInTheBody(TRANSIT), Reason.UNAVAILABLE, "timed out")
            .hangsUp(),
        fails(
            RemoteMisbehaviour.hangUpInTheBody(TRANSIT), Reason.UNAVAILABLE, "Cannot reach Vault"),
        fails(RemoteMisbehaviour.chunksTrickledForever(), Reason.UNAVAILABLE, "timed out")
            .hangsUp(),
        fails(
                RemoteMisbehaviour.chunksStreamedForever(),
                Reason.MISCONFIGURED,
                "limit of 65536 bytes")
            .hangsUp(),
        fails(huge(TRANSIT, fifty, true), Reason.MISCONFIGURED, "limit of 65536 bytes").hangsUp(),
        fails(huge(TRANSIT, fifty, false), Reason.MISCONFIGURED, "limit of 65536 bytes")
            .with(Client::unwrapping)
            .hangsUp());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileAnswer_boundedCleanErrorWithinBound(HostileAnswer<Client, Reason> c)
      throws Exception {
    MisbehavingHttpServer server = servers.http(c.move());
    Kek kek = kek(server, c.setup().auth());

    KmsException e =
        thrownWithin(BOUND, leaks, KmsException.class, () -> call(kek, c.setup().op()));

    assertThat(e.reason()).as(e.getMessage()).isEqualTo(c.expected());
    assertBoundedMessage(e, c.mentions());
    // The first characters of a token are a leak too: the old code cut, then looked for it whole.
    assertChainHoldsNone(e, "hvs.CAESI", "Mv28", REDIRECT_PASSWORD);
    assertClientLetGo(server, c.clientHangsUp());
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void redirectToAnotherPort_notFollowedTokenStaysHome(int status) throws Exception {
    MisbehavingHttpServer elsewhere = servers.http(answer("an answer", 200, JSON, "{}"));
    MisbehavingHttpServer server =
        servers.http(RemoteMisbehaviour.redirectTo(status, elsewhere, "/v1/x"));

    for (Auth auth : Auth.values()) {
      KmsException e =
          thrownWithin(
              BOUND, leaks, KmsException.class, () -> kek(server, auth).wrap(new byte[32]));

      assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.MISCONFIGURED);
      assertThat(e.getMessage()).contains("HTTP " + status);
      assertRedirectRefused(e, server, elsewhere);
    }
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

  // ---- Vault's own moves ----

  static String errors(String message) {
    return "{\"errors\":[\"" + message + "\"]}";
  }

  /** Vault's error text with the token it was sent, {@code position} characters in. */
  static RemoteMisbehaviour echoToken(int status, int position) {
    return answer(
        status + " echoing the token past character " + position,
        status,
        JSON,
        r -> errors("y".repeat(position) + "token " + r.header("X-Vault-Token")));
  }

  /** A login that succeeds with {@link #LOGIN_TOKEN}, then {@code transit} for transit calls. */
  static RemoteMisbehaviour approle(RemoteMisbehaviour transit) {
    return new RemoteMisbehaviour(
        "after a login, " + transit.name(),
        transit.status(),
        (req, c) -> {
          if (req.path().endsWith("/auth/approle/login")) {
            c.respond(200, JSON, "{\"auth\":{\"client_token\":\"" + LOGIN_TOKEN + "\"}}");
          } else {
            transit.behaviour().respond(req, c);
          }
        });
  }

  /** {@code login} for the login, a plain 500 for anything else. */
  static RemoteMisbehaviour approleLogin(RemoteMisbehaviour login) {
    return new RemoteMisbehaviour(
        "login " + login.name(),
        login.status(),
        (req, c) -> {
          if (req.path().endsWith("/auth/approle/login")) {
            login.behaviour().respond(req, c);
          } else {
            c.respond(500, JSON, errors("unexpected"));
          }
        });
  }

  // ---- plumbing ----

  static HostileAnswer<Client, Reason> fails(
      RemoteMisbehaviour move, Reason reason, String mentions) {
    return HostileAnswer.of(move, Client.DEFAULT, reason, mentions);
  }

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
}
