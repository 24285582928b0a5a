package io.csfle.connect.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.kms.local.LocalKekProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FallbackKekTest {
  private static final byte[] DEK = {
    0x1A, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
  };

  /** A provider whose key id is the local secret, and that refuses the id "down". */
  private static final KekProvider BY_ID =
      new KekProvider() {
        private final LocalKekProvider local = new LocalKekProvider(name -> null);

        @Override
        public String kmsType() {
          return "test-kms";
        }

        @Override
        public Kek create(String kmsKeyId, Map<String, String> properties) {
          if (kmsKeyId.equals("down")) {
            return new Kek() {
              @Override
              public byte[] wrap(byte[] keyMaterial) {
                throw new KmsException(KmsException.Reason.ACCESS_DENIED, "down denied");
              }

              @Override
              public byte[] unwrap(byte[] encrypted) {
                throw new KmsException(KmsException.Reason.ACCESS_DENIED, "down denied");
              }
            };
          }
          return local.create(kmsKeyId, Map.of("secret", kmsKeyId));
        }
      };

  private static Kek kek(String primary, String... alternates) {
    return KekProviders.of(BY_ID)
        .withRetryPolicy(new KmsRetryPolicy(1, 0, 0))
        .create("test-kms", primary, List.of(alternates), Map.of());
  }

  @Test
  void closingTheComposedKek_closesTheClientOfEveryKeyId() {
    List<String> closed = new ArrayList<>();
    KekProvider provider = closeRecording(closed, null);

    KekProviders.of(provider)
        .withListener((type, operation, nanos, failure) -> {})
        .create("test-kms", "primary", List.of("replica-1", "replica-2"), Map.of())
        .close();

    assertThat(closed).containsExactly("primary", "replica-1", "replica-2");
  }

  @Test
  void alternateThatCannotBeBuilt_closesTheClientsBuiltBeforeIt() {
    List<String> closed = new ArrayList<>();
    KekProvider provider = closeRecording(closed, "bad");

    assertThatThrownBy(
            () ->
                KekProviders.of(provider)
                    .create("test-kms", "primary", List.of("replica-1", "bad"), Map.of()))
        .isInstanceOf(KmsException.class);

    assertThat(closed).containsExactly("primary", "replica-1");
  }

  /** A provider whose KEKs record their key id when closed; {@code refused} cannot be built. */
  private static KekProvider closeRecording(List<String> closed, String refused) {
    return new TestKekProvider(
        "test-kms",
        (kmsKeyId, properties) -> {
          if (kmsKeyId.equals(refused)) {
            throw new KmsException(KmsException.Reason.MISCONFIGURED, "no such key " + kmsKeyId);
          }
          return new ForwardingKek(
              BY_ID.create(kmsKeyId, properties), () -> {}, () -> closed.add(kmsKeyId));
        });
  }

  @Test
  void failingPrimary_wrapsWithTheFirstAlternateThatWorks() {
    byte[] wrapped = kek("down", "replica").wrap(DEK);
    assertThat(kek("replica").unwrap(wrapped)).isEqualTo(DEK);
  }

  @Test
  void unwrap_triesEachKeyUntilOneCanUnwrap() {
    byte[] wrappedByOld = kek("old-key").wrap(DEK);
    assertThat(kek("new-key", "old-key").unwrap(wrappedByOld)).isEqualTo(DEK);
  }

  @Test
  void allKeysFailing_throwsThePrimarysErrorWithTheOthersSuppressed() {
    byte[] wrapped = kek("k1").wrap(DEK);
    assertThatThrownBy(() -> kek("down", "k2").unwrap(wrapped))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("down denied")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
  }
}
