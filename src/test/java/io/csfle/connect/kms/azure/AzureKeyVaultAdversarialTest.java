package io.csfle.connect.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.kms.ThrowawayCertificate;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testing.MisbehavingHttpServer;
import io.csfle.connect.testing.MisbehavingHttpServer.Behaviour;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * azure-kms through the real Azure SDK (over HTTPS) against a Key Vault that stalls, floods,
 * garbles or echoes: every call ends within its bound with a classified, bounded {@link
 * KmsException} that holds neither the client secret (sent as the bearer token here) nor the key
 * material, with every SDK logger at TRACE.
 */
class AzureKeyVaultAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String VERSION = "0123456789abcdef0123456789abcdef";
  private static final String SECRET = "azur3~SECRET.clientSecret-0123456789abcd";
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "c3".repeat(32));
  private static final String JSON = "application/json; charset=utf-8";
  private static final String HTML = "text/html";
  private static final String JSON_TYPE = "Content-Type: " + JSON;
  private static final String CLOSE = "Connection: close";

  /** The whole-call bound the tests configure; the read timeout is shorter, connect too. */
  private static final Duration CALL_BOUND = Duration.ofSeconds(4);

  /** Generous: the bound plus scheduling and SDK set-up on a busy machine. */
  private static final Duration MARGIN = Duration.ofSeconds(7);

  static {
    leaks.secret(SECRET).keyBytes(DEK);
  }

  private static String keyId(MisbehavingHttpServer server) {
    return server.url() + "/keys/orders/" + VERSION;
  }

  private static Kek kek(MisbehavingHttpServer server) {
    AzureKekProvider provider =
        new AzureKekProvider(
            (properties, http) ->
                AzureTesting.staticToken(properties.get(AzureKekProvider.CLIENT_SECRET)),
            false,
            CALL_BOUND);
    return provider.create(keyId(server), AzureTesting.properties(SECRET));
  }

  /** Key Vault's bearer challenge first, as the SDK expects; then the behaviour. */
  private static MisbehavingHttpServer server(Behaviour behaviour) throws Exception {
    return MisbehavingHttpServer.https(
        ThrowawayCertificate.serverTls(),
        (r, c) -> {
          if (r.header("Authorization") == null) {
            c.respond(
                401,
                JSON,
                "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"no token\"}}",
                "WWW-Authenticate: Bearer authorization=\"https://login.microsoftonline.com/"
                    + InMemoryKeyVaultServer.TENANT
                    + "\", resource=\"https://vault.azure.net\"");
          } else {
            behaviour.respond(r, c);
          }
        });
  }

  /** Runs wrap (or unwrap) against the behaviour; returns the exception, checked for hygiene. */
  private static KmsException failure(Behaviour behaviour, boolean unwrap) throws Exception {
    try (MisbehavingHttpServer server = server(behaviour);
        Kek kek = kek(server)) {
      Throwable thrown =
          assertTimeoutPreemptively(
              CALL_BOUND.plus(MARGIN),
              () -> leaks.thrown(() -> call(kek, unwrap)),
              "the call must end within its bound");
      assertThat(thrown).isInstanceOf(KmsException.class);
      KmsException e = (KmsException) thrown;
      assertThat(e.getMessage()).contains(keyId(server)).hasSizeLessThanOrEqualTo(600);
      assertThat(chainText(e))
          .doesNotContain(
              SECRET,
              Base64.getEncoder().encodeToString(DEK),
              Base64.getUrlEncoder().withoutPadding().encodeToString(DEK));
      return e;
    }
  }

  private static void call(Kek kek, boolean unwrap) {
    if (unwrap) {
      kek.unwrap(new byte[256]);
    } else {
      kek.wrap(DEK);
    }
  }

  private static String chainText(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
    }
    return text.toString();
  }

  static Stream<Arguments> stalls() {
    return Stream.of(
        Arguments.of("before the headers", (Behaviour) (r, c) -> c.stall()),
        Arguments.of(
            "after the headers",
            (Behaviour)
                (r, c) -> {
                  c.head(200, JSON_TYPE, "Content-Length: 500", CLOSE);
                  c.stall();
                }),
        Arguments.of(
            "in the middle of the body",
            (Behaviour)
                (r, c) -> {
                  c.head(200, JSON_TYPE, "Content-Length: 500", CLOSE)
                      .write("{\"kid\":\"x\",\"value\":\"AQID");
                  c.stall();
                }),
        Arguments.of(
            "dripping the body a byte at a time, faster than the read timeout",
            (Behaviour)
                (r, c) -> {
                  c.head(200, JSON_TYPE, "Content-Length: 1000000", CLOSE)
                      .write("{\"kid\":\"x\",\"value\":\"");
                  c.drip(new byte[] {'A'}, 200);
                }));
  }

  @ParameterizedTest(name = "server stalls {0}")
  @MethodSource("stalls")
  void stallingServer_failsUnavailableWithinTheCallBound(String when, Behaviour behaviour)
      throws Exception {
    assertThat(failure(behaviour, false).reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  static Stream<Arguments> malformed() {
    String dekBase64url = Base64.getUrlEncoder().withoutPadding().encodeToString(DEK);
    byte[] echo = new byte[DEK.length + 28];
    System.arraycopy(DEK, 0, echo, 12, DEK.length);
    return Stream.of(
        answer(
            "HTML with 200",
            200,
            HTML,
            "<html><body>Welcome to the proxy</body></html>",
            Reason.MISCONFIGURED),
        answer(
            "truncated JSON", 200, JSON, "{\"kid\":\"x\",\"value\":\"AQID", Reason.MISCONFIGURED),
        answer(
            "mistyped JSON", 200, JSON, "{\"kid\":\"x\",\"value\":[1,2,3]}", Reason.MISCONFIGURED),
        answer(
            "a value that is not base64url",
            200,
            JSON,
            "{\"kid\":\"x\",\"value\":\"%%%not*base64%%%\"}",
            Reason.MISCONFIGURED),
        answer("no value", 200, JSON, "{}", Reason.MISCONFIGURED),
        answer(
            "the key material back as ciphertext",
            200,
            JSON,
            "{\"kid\":\"x\",\"value\":\"" + Base64.getUrlEncoder().encodeToString(echo) + "\"}",
            Reason.MISCONFIGURED),
        answer(
            "a ciphertext shorter than the key material",
            200,
            JSON,
            "{\"kid\":\"x\",\"value\":\"AQID\"}",
            Reason.MISCONFIGURED),
        answer("500 with HTML", 500, HTML, "<html>Internal error</html>", Reason.UNAVAILABLE),
        answer("502 with HTML", 502, HTML, "<html>Bad gateway</html>", Reason.UNAVAILABLE),
        answer("429 with HTML", 429, HTML, "<html>Slow down</html>", Reason.UNAVAILABLE),
        answer("403 with HTML", 403, HTML, "<html>Forbidden</html>", Reason.ACCESS_DENIED),
        answer("404 with HTML", 404, HTML, "<html>Not found</html>", Reason.KEY_UNUSABLE),
        answer(
            "an unknown error code",
            400,
            JSON,
            "{\"error\":{\"code\":\"BrandNew\",\"message\":\"something new\"}}",
            Reason.MISCONFIGURED),
        answer(
            "an error code that is not a code",
            400,
            JSON,
            "{\"error\":{\"code\":\"" + "<script>".repeat(500) + "\",\"message\":\"x\"}}",
            Reason.MISCONFIGURED),
        answer(
            "an endless error message",
            400,
            JSON,
            "{\"error\":{\"code\":\"BadParameter\",\"message\":\"" + "x\\n".repeat(50_000) + "\"}}",
            Reason.MISCONFIGURED),
        answer(
            "an error message that quotes the key material",
            400,
            JSON,
            "{\"error\":{\"code\":\"BadParameter\",\"message\":\"bad value "
                + dekBase64url
                + "\"}}",
            Reason.MISCONFIGURED),
        answer(
            "a redirect",
            301,
            HTML,
            "moved",
            Reason.MISCONFIGURED,
            "Location: http://127.0.0.1:1/elsewhere?secret=" + SECRET));
  }

  private static Arguments answer(
      String name, int status, String type, String body, Reason expected, String... headers) {
    return Arguments.of(
        name, (Behaviour) (r, c) -> c.respond(status, type, body, headers), expected);
  }

  @ParameterizedTest(name = "server answers {0}")
  @MethodSource("malformed")
  void malformedAnswer_isClassifiedAndBounded(String name, Behaviour behaviour, Reason expected)
      throws Exception {
    assertThat(failure(behaviour, false).reason()).isEqualTo(expected);
  }

  @Test
  void unwrapToEmptyOrOversizedKeyMaterial_isMisconfigured() throws Exception {
    for (String plaintext :
        new String[] {"", Base64.getUrlEncoder().encodeToString(new byte[5000])}) {
      KmsException e =
          failure(
              (r, c) -> c.respond(200, JSON, "{\"kid\":\"x\",\"value\":\"" + plaintext + "\"}"),
              true);
      assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED);
    }
  }

  @Test
  void connectionCutInTheBody_isUnavailable() throws Exception {
    KmsException e =
        failure(
            (r, c) ->
                c.head(200, JSON_TYPE, "Content-Length: 400", CLOSE)
                    .write("{\"kid\":\"x\",\"value\":\"AQ"),
            false);

    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void errorEchoingTheRequest_reachesNoExceptionWithTheCredentials() throws Exception {
    Behaviour echo =
        (r, c) ->
            c.respond(
                403,
                JSON,
                "{\"error\":{\"code\":\"Forbidden\",\"message\":\"you sent "
                    + r.header("Authorization")
                    + " secret "
                    + SECRET
                    + " body "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("\"", "'")
                    + "\"}}");

    KmsException e = failure(echo, false);

    assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
    assertThat(e.getMessage()).contains("[redacted]").contains("you sent");
  }

  @Test
  void hugeAnswer_isRefusedWithoutReadingIt() throws Exception {
    long fifty = 50L * 1024 * 1024;
    for (boolean declared : new boolean[] {true, false}) {
      try (MisbehavingHttpServer server =
              server(
                  (r, c) -> {
                    String start = "{\"kid\":\"x\",\"value\":\"";
                    if (declared) {
                      c.head(200, JSON_TYPE, "Content-Length: " + fifty, CLOSE).write(start);
                      c.flood(fifty - start.length(), (byte) 'A');
                    } else {
                      c.head(200, JSON_TYPE, CLOSE).write(start);
                      c.flood(fifty, (byte) 'A');
                    }
                  });
          Kek kek = kek(server)) {
        Throwable e =
            assertTimeoutPreemptively(
                CALL_BOUND.plus(MARGIN), () -> leaks.thrown(() -> kek.wrap(DEK)));

        assertThat(e).isInstanceOf(KmsException.class);
        assertThat(((KmsException) e).reason()).isEqualTo(Reason.MISCONFIGURED);
        assertThat(e.getMessage()).contains("larger than");
        // The client stopped reading: socket buffers hold a few MB at most, not 50.
        assertThat(server.bytesWritten()).isLessThan(fifty / 5);
      }
    }
  }
}
