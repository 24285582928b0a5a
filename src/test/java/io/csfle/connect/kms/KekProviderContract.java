package io.csfle.connect.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one contract every cloud KMS provider passes, each against an in-process fake of its real
 * wire protocol driven through the real client: round trip, unknown key, access denied, throttling
 * then success (through the retry that {@link KekProviders} composes), disabled key, and altered
 * wrapped bytes.
 */
public abstract class KekProviderContract {
  private static final byte[] DEK = new byte[34];

  static {
    DEK[0] = 0x1A;
    DEK[1] = 0x20;
    for (int i = 2; i < DEK.length; i++) {
      DEK[i] = (byte) i;
    }
  }

  /** The provider under test. */
  protected abstract KekProvider provider();

  /** A key id the fake knows. */
  protected abstract String keyId();

  /** A well-formed key id the fake does not know. */
  protected abstract String unknownKeyId();

  /** Client properties (credentials, endpoint) that reach the fake. */
  protected abstract Map<String, String> properties();

  /** Properties whose credentials the fake refuses. */
  protected abstract Map<String, String> deniedProperties();

  /** Makes the fake answer the next {@code count} calls with its throttling error. */
  protected abstract void throttleNext(int count);

  /** Disables {@link #keyId()} in the fake. */
  protected abstract void disableKey();

  private Kek kek(String keyId, Map<String, String> properties) {
    return KekProviders.of(provider())
        .withRetryPolicy(new KmsRetryPolicy(3, 1, 5))
        .create(provider().kmsType(), keyId, properties);
  }

  private static KmsException.Reason reasonOf(Throwable e) {
    return ((KmsException) e).reason();
  }

  @Test
  void wrapThenUnwrap_returnsTheDek() {
    Kek kek = kek(keyId(), properties());
    byte[] wrapped = kek.wrap(DEK);
    assertThat(wrapped).isNotEqualTo(DEK);
    assertThat(kek.unwrap(wrapped)).isEqualTo(DEK);
  }

  @Test
  void unknownKey_isKeyUnusable() {
    assertThatThrownBy(() -> kek(unknownKeyId(), properties()).wrap(DEK))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(KmsException.Reason.KEY_UNUSABLE));
  }

  @Test
  void refusedCredentials_isAccessDeniedNamingTheKey() {
    assertThatThrownBy(() -> kek(keyId(), deniedProperties()).wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(keyId())
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(KmsException.Reason.ACCESS_DENIED));
  }

  @Test
  void throttlingThenSuccess_isRiddenOutByTheRetry() {
    Kek kek = kek(keyId(), properties());
    throttleNext(2);
    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void persistentThrottling_isUnavailable() {
    Kek kek = kek(keyId(), properties());
    throttleNext(10);
    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(KmsException.Reason.UNAVAILABLE));
  }

  @Test
  void disabledKey_isKeyUnusable() {
    Kek kek = kek(keyId(), properties());
    byte[] wrapped = kek.wrap(DEK);
    disableKey();
    assertThatThrownBy(() -> kek.unwrap(wrapped))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(KmsException.Reason.KEY_UNUSABLE));
  }

  @Test
  void alteredWrappedBytes_isInvalidCiphertext() {
    Kek kek = kek(keyId(), properties());
    byte[] wrapped = kek.wrap(DEK);
    wrapped[wrapped.length - 1] ^= 1;
    assertThatThrownBy(() -> kek.unwrap(wrapped))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(KmsException.Reason.INVALID_CIPHERTEXT));
  }
}
