package io.csfle.connect.kms;

import static io.csfle.connect.testing.RemoteFailureAssertions.assertBoundedMessage;
import static io.csfle.connect.testing.RemoteFailureAssertions.assertChainHoldsNone;
import static io.csfle.connect.testing.RemoteFailureAssertions.assertTookLessThan;
import static io.csfle.connect.testing.RemoteFailureAssertions.thrownWithin;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.kms.JsonKmsMisbehaviour.Dialect;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testing.MisbehavingHttpServer;
import io.csfle.connect.testing.MisbehavingHttpServer.Behaviour;
import io.csfle.connect.testing.RemoteMisbehaviour;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one adversarial contract of a KMS that speaks JSON over HTTP, run through its real SDK
 * against an endpoint that stalls, floods, garbles or echoes: every call ends within its bound with
 * a classified, bounded {@link KmsException} that names the key and holds neither the credentials
 * nor the key material, with every SDK logger at TRACE (the subclass registers its {@link
 * LeakWatch}). A subclass says how to build and reach its client and which reason each HTTP status
 * of a malformed answer must give.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JsonKmsAdversarialContract {
  /** The key material wrapped; the subclass registers it with its LeakWatch. */
  protected static final byte[] DEK = HexFormat.of().parseHex("1a20" + "c3".repeat(32));

  /** The whole-call bound a subclass configures; its read timeout is shorter, connect too. */
  protected static final Duration CALL_BOUND = Duration.ofSeconds(4);

  /** Generous: the bound plus scheduling and SDK set-up on a busy machine. */
  private static final Duration MARGIN = Duration.ofSeconds(7);

  private static final long FIFTY_MB = 50L << 20;

  private final LeakWatch leaks;
  private final Dialect dialect;
  private final int wrappedSize;
  private final String secret;
  private final String[] credentials;

  /**
   * @param leaks the subclass's LeakWatch, with {@code credentials} and {@link #DEK} registered
   * @param dialect how the service spells its answers
   * @param wrappedSize how many bytes a wrapped DEK takes with this service, for unwrap
   * @param secret the secret an echoing server quotes and a redirect carries
   * @param credentials every configured credential ({@code secret} too): none may reach an
   *     exception
   */
  protected JsonKmsAdversarialContract(
      LeakWatch leaks, Dialect dialect, int wrappedSize, String secret, String... credentials) {
    this.leaks = leaks;
    this.dialect = dialect;
    this.wrappedSize = wrappedSize;
    this.secret = secret;
    this.credentials = credentials;
  }

  /**
   * A server that runs {@code behaviour} where the service would answer a wrap or unwrap; plain
   * HTTP unless the client needs more first (TLS, an authentication challenge).
   */
  protected MisbehavingHttpServer server(Behaviour behaviour) throws Exception {
    return MisbehavingHttpServer.http(behaviour);
  }

  /** The client under test, configured with {@link #CALL_BOUND} and reaching {@code server}. */
  protected abstract Kek kek(MisbehavingHttpServer server);

  /** The key id every failure must name. */
  protected abstract String keyId(MisbehavingHttpServer server);

  /** The reason a whole malformed answer with this HTTP status must give. */
  protected abstract Reason expected(int status);

  /** Runs wrap (or unwrap) against the move; returns the exception, checked for hygiene. */
  private KmsException failure(RemoteMisbehaviour move, boolean unwrap) throws Exception {
    try (MisbehavingHttpServer server = server(move.behaviour())) {
      return failure(server, unwrap);
    }
  }

  private KmsException failure(MisbehavingHttpServer server, boolean unwrap) throws Exception {
    try (Kek kek = kek(server)) {
      KmsException e =
          thrownWithin(
              CALL_BOUND.plus(MARGIN),
              leaks,
              KmsException.class,
              () -> {
                if (unwrap) {
                  kek.unwrap(new byte[wrappedSize]);
                } else {
                  kek.wrap(DEK);
                }
              });
      assertBoundedMessage(e, keyId(server));
      assertChainHoldsNone(e, credentials);
      assertChainHoldsNone(
          e,
          Base64.getEncoder().encodeToString(DEK),
          Base64.getUrlEncoder().withoutPadding().encodeToString(DEK));
      return e;
    }
  }

  Stream<RemoteMisbehaviour> stalls() {
    return JsonKmsMisbehaviour.stalls(dialect);
  }

  @ParameterizedTest(name = "server: {0}")
  @MethodSource("stalls")
  void stallingServer_failsUnavailableWithinTheCallBound(RemoteMisbehaviour stall)
      throws Exception {
    assertThat(failure(stall, false).reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  Stream<RemoteMisbehaviour> malformed() {
    return JsonKmsMisbehaviour.malformedWrapAnswers(dialect, DEK, secret);
  }

  @ParameterizedTest(name = "server answers {0}")
  @MethodSource("malformed")
  void malformedAnswer_isClassifiedAndBounded(RemoteMisbehaviour answer) throws Exception {
    assertThat(failure(answer, false).reason()).isEqualTo(expected(answer.status()));
  }

  Stream<RemoteMisbehaviour> impossibleKeyMaterial() {
    return JsonKmsMisbehaviour.unwrapsToImpossibleKeyMaterial(dialect);
  }

  @ParameterizedTest(name = "unwrap answers {0}")
  @MethodSource("impossibleKeyMaterial")
  void unwrapToEmptyOrOversizedKeyMaterial_isMisconfigured(RemoteMisbehaviour answer)
      throws Exception {
    assertThat(failure(answer, true).reason()).isEqualTo(Reason.MISCONFIGURED);
  }

  @Test
  void connectionCutInTheBody_isUnavailable() throws Exception {
    KmsException e = failure(RemoteMisbehaviour.hangUpInTheBody(dialect.wire()), false);

    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void errorEchoingTheRequest_reachesNoExceptionWithTheCredentials() throws Exception {
    RemoteMisbehaviour echo = JsonKmsMisbehaviour.denialEchoingTheRequest(dialect, secret);

    KmsException e = failure(echo, false);

    assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
    assertThat(e.getMessage()).contains("[redacted]").contains("you sent");
  }

  @ParameterizedTest(name = "Content-Length sent: {0}")
  @ValueSource(booleans = {true, false})
  void hugeAnswer_isRefusedWithoutReadingIt(boolean withLength) throws Exception {
    RemoteMisbehaviour huge = RemoteMisbehaviour.huge(dialect.wire(), FIFTY_MB, withLength);
    try (MisbehavingHttpServer server = server(huge.behaviour())) {
      KmsException e = failure(server, false);

      assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED);
      assertThat(e.getMessage()).contains("larger than");
      // The client stopped reading: socket buffers hold a few MB at most, not 50.
      assertTookLessThan(server, FIFTY_MB / 5);
    }
  }
}
