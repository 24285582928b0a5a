package io.csfle.connect.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testing.MisbehavingHttpServer;
import io.csfle.connect.testing.MisbehavingHttpServer.Behaviour;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * aws-kms through the real AWS SDK against an endpoint that stalls, floods, garbles or echoes:
 * every call ends within its bound with a classified, bounded {@link KmsException} that holds
 * neither the credentials nor the key material, with every SDK logger at TRACE.
 */
class AwsKmsAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String KEY_ARN =
      "arn:aws:kms:eu-west-3:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ACCESS_KEY_ID = "AKIAADVERSARIAL00001";
  private static final String SECRET = "adv3rs/SECRET+accessKey0123456789abcdefgh";
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "c3".repeat(32));
  private static final String JSON = "application/x-amz-json-1.1";
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

  private static Kek kek(MisbehavingHttpServer server) {
    AwsKekProvider provider =
        new AwsKekProvider(Duration.ofSeconds(1), Duration.ofSeconds(1), CALL_BOUND);
    return provider.create(
        KEY_ARN,
        Map.of(
            AwsKekProvider.ACCESS_KEY_ID, ACCESS_KEY_ID,
            AwsKekProvider.SECRET_ACCESS_KEY, SECRET,
            AwsKekProvider.ENDPOINT, server.url()));
  }

  /** Runs wrap (or unwrap) against the behaviour; returns the exception, checked for hygiene. */
  private static KmsException failure(Behaviour behaviour, boolean unwrap) throws Exception {
    try (MisbehavingHttpServer server = MisbehavingHttpServer.http(behaviour);
        Kek kek = kek(server)) {
      Throwable thrown =
          assertTimeoutPreemptively(
              CALL_BOUND.plus(MARGIN),
              () -> leaks.thrown(() -> call(kek, unwrap)),
              "the call must end within its bound");
      assertThat(thrown).isInstanceOf(KmsException.class);
      KmsException e = (KmsException) thrown;
      assertThat(e.getMessage()).contains(KEY_ARN).hasSizeLessThanOrEqualTo(600);
      assertThat(chainText(e))
          .doesNotContain(SECRET, ACCESS_KEY_ID, Base64.getEncoder().encodeToString(DEK));
      return e;
    }
  }

  private static void call(Kek kek, boolean unwrap) {
    if (unwrap) {
      kek.unwrap(new byte[64]);
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
                      .write("{\"CiphertextBlob\":\"AQID");
                  c.stall();
                }),
        Arguments.of(
            "dripping the body a byte at a time, faster than the read timeout",
            (Behaviour)
                (r, c) -> {
                  c.head(200, JSON_TYPE, "Content-Length: 1000000", CLOSE)
                      .write("{\"CiphertextBlob\":\"");
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
    String dekBase64 = Base64.getEncoder().encodeToString(DEK);
    byte[] echo = new byte[DEK.length + 28];
    System.arraycopy(DEK, 0, echo, 12, DEK.length);
    return Stream.of(
        answer(
            "HTML with 200",
            200,
            HTML,
            "<html><body>Welcome to the proxy</body></html>",
            Reason.MISCONFIGURED),
        answer("truncated JSON", 200, JSON, "{\"CiphertextBlob\":\"AQID", Reason.MISCONFIGURED),
        answer("mistyped JSON", 200, JSON, "{\"CiphertextBlob\":[1,2,3]}", Reason.MISCONFIGURED),
        answer(
            "a CiphertextBlob that is not base64",
            200,
            JSON,
            "{\"CiphertextBlob\":\"%%%not*base64%%%\"}",
            Reason.MISCONFIGURED),
        answer("no CiphertextBlob", 200, JSON, "{}", Reason.MISCONFIGURED),
        answer(
            "the key material back as ciphertext",
            200,
            JSON,
            "{\"CiphertextBlob\":\"" + Base64.getEncoder().encodeToString(echo) + "\"}",
            Reason.MISCONFIGURED),
        answer(
            "a ciphertext shorter than the key material",
            200,
            JSON,
            "{\"CiphertextBlob\":\"AQID\"}",
            Reason.MISCONFIGURED),
        answer("500 with HTML", 500, HTML, "<html>Internal error</html>", Reason.UNAVAILABLE),
        answer("502 with HTML", 502, HTML, "<html>Bad gateway</html>", Reason.UNAVAILABLE),
        answer("429 with HTML", 429, HTML, "<html>Slow down</html>", Reason.UNAVAILABLE),
        answer("403 with HTML", 403, HTML, "<html>Forbidden</html>", Reason.ACCESS_DENIED),
        answer("404 with HTML", 404, HTML, "<html>Not found</html>", Reason.MISCONFIGURED),
        answer(
            "an unknown error code",
            400,
            JSON,
            "{\"__type\":\"BrandNewException\",\"message\":\"something new\"}",
            Reason.MISCONFIGURED),
        answer(
            "an error code that is not a code",
            400,
            JSON,
            "{\"__type\":\"" + "<script>".repeat(500) + "\",\"message\":\"x\"}",
            Reason.MISCONFIGURED),
        answer(
            "an endless error message",
            400,
            JSON,
            "{\"__type\":\"ValidationException\",\"message\":\"" + "x\\n".repeat(50_000) + "\"}",
            Reason.MISCONFIGURED),
        answer(
            "an error message that quotes the key material",
            400,
            JSON,
            "{\"__type\":\"ValidationException\",\"message\":\"bad Plaintext " + dekBase64 + "\"}",
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
    for (String plaintext : new String[] {"", Base64.getEncoder().encodeToString(new byte[5000])}) {
      KmsException e =
          failure((r, c) -> c.respond(200, JSON, "{\"Plaintext\":\"" + plaintext + "\"}"), true);
      assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED);
    }
  }

  @Test
  void connectionCutInTheBody_isUnavailable() throws Exception {
    KmsException e =
        failure(
            (r, c) ->
                c.head(200, JSON_TYPE, "Content-Length: 400", CLOSE)
                    .write("{\"CiphertextBlob\":\"AQ"),
            false);

    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void errorEchoingTheRequest_reachesNoExceptionWithTheCredentials() throws Exception {
    Behaviour echo =
        (r, c) ->
            c.respond(
                400,
                JSON,
                "{\"__type\":\"AccessDeniedException\",\"message\":\"you sent "
                    + r.header("Authorization")
                    + " secret "
                    + SECRET
                    + " body "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("\"", "'")
                    + "\"}");

    KmsException e = failure(echo, false);

    assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
    assertThat(e.getMessage()).contains("[redacted]").contains("you sent");
  }

  @Test
  void hugeAnswer_isRefusedWithoutReadingIt() throws Exception {
    long fifty = 50L * 1024 * 1024;
    for (boolean declared : new boolean[] {true, false}) {
      try (MisbehavingHttpServer server =
              MisbehavingHttpServer.http(
                  (r, c) -> {
                    String start = "{\"CiphertextBlob\":\"";
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
