package io.csfle.connect.dek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.kms.ForwardingKek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.TestKekProvider;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekSubject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cached DEK is trusted for a time-to-live only: after it, one store read (and no KMS call while
 * the DEK is unchanged) tells whether it was destroyed, so running tasks stop using a forgotten
 * entity's key within that time. Driven by an injected clock.
 */
class DekCacheTtlTest {
  private static final DekAlgorithm GCM = DekAlgorithm.AES256_GCM;
  private static final KekSettings SETTINGS =
      new KekSettings("kek1", "local-kms", "key1", Map.of("secret", "mysecret"));
  private static final long TTL = 60_000L;
  private static final byte[] PLAINTEXT = "alice@example.com".getBytes(StandardCharsets.UTF_8);

  private final InMemoryDekStore registry = new InMemoryDekStore();
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final AtomicInteger kmsCalls = new AtomicInteger();
  private final KekProviders providers =
      KekProviders.of(
          new TestKekProvider(
              "local-kms",
              (id, props) ->
                  new ForwardingKek(
                      new LocalKekProvider(n -> null).create(id, props),
                      kmsCalls::incrementAndGet,
                      () -> {})));

  @AfterEach
  void stopStore() {
    registry.close();
  }

  private EncryptionKeys writer() {
    return new EncryptionKeys(registry, providers, SETTINGS, GCM, 0, now::get, 100, TTL);
  }

  private DecryptionKeys reader() {
    return new DecryptionKeys(registry, providers, SETTINGS, GCM, 100, TTL, now::get);
  }

  /** Destroys every version of {@code subject}, as csfle-dek-admin forget does. */
  private void forget(String subject) {
    try (DekStoreAdmin admin = registry.anotherClient()) {
      DekSubject dek = new DekSubject("kek1", subject, GCM);
      admin.deleteDek(dek, false);
      admin.deleteDek(dek, true);
    }
  }

  /** Store and KMS calls made by {@code action}. */
  private int[] callsOf(Runnable action) {
    int registryBefore = registry.calls.get();
    int kmsBefore = kmsCalls.get();
    action.run();
    return new int[] {registry.calls.get() - registryBefore, kmsCalls.get() - kmsBefore};
  }

  private byte[] encrypt(EncryptionKeys writer, String subject) {
    return writer.forSubject(subject).cipher().encrypt(PLAINTEXT);
  }

  @Test
  void readerWithinTheTtl_makesNoCall_andAfterItOneStoreReadAndNoKmsCall() {
    byte[] ciphertext = encrypt(writer(), "customer-1");
    DecryptionKeys reader = reader();
    reader.forVersion("customer-1", 1);

    now.addAndGet(TTL - 1);
    assertThat(callsOf(() -> reader.forVersion("customer-1", 1))).containsExactly(0, 0);

    now.addAndGet(1);
    FieldCipher[] cipher = new FieldCipher[1];
    assertThat(callsOf(() -> cipher[0] = reader.forVersion("customer-1", 1))).containsExactly(1, 0);
    assertThat(cipher[0].decrypt(ciphertext, 0, ciphertext.length)).isEqualTo(PLAINTEXT);
    assertThat(callsOf(() -> reader.forVersion("customer-1", 1))).containsExactly(0, 0);
  }

  @Test
  void readerOfAForgottenSubject_keepsItsCachedKeyUntilTheTtl_thenFindsItForgotten() {
    EncryptionKeys writer = writer();
    encrypt(writer, "customer-1");
    encrypt(writer, "customer-2");
    DecryptionKeys reader = reader();
    reader.forVersion("customer-1", 1);
    reader.forVersion("customer-2", 1);

    forget("customer-1");
    assertThat(reader.forVersion("customer-1", 1)).isNotNull(); // within the TTL: still cached

    now.addAndGet(TTL);
    assertThatThrownBy(() -> reader.forVersion("customer-1", 1))
        .isInstanceOf(ForgottenDekException.class)
        .hasMessageContaining("forgotten")
        .hasMessageContaining("customer-1");
    assertThat(reader.forVersion("customer-2", 1)).isNotNull();
    // The verdict is kept for the TTL too: a stream of the entity's records costs no store read.
    assertThat(
            callsOf(
                () ->
                    assertThatThrownBy(() -> reader.forVersion("customer-1", 1))
                        .isInstanceOf(ForgottenDekException.class)))
        .containsExactly(0, 0);
  }

  @Test
  void missingVersionOfASubjectThatStillHasOthers_isNotForgotten() {
    encrypt(writer(), "customer-1");
    DecryptionKeys reader = reader();

    assertThatThrownBy(() -> reader.forVersion("customer-1", 7))
        .isInstanceOf(MissingDekException.class)
        .isNotInstanceOf(ForgottenDekException.class);
    assertThatThrownBy(() -> reader.forVersion("customer-1", 0))
        .isNotInstanceOf(ForgottenDekException.class);
  }

  @Test
  void subjectWithDeksOfAnotherAlgorithmOnly_isNotForgotten() {
    new EncryptionKeys(registry, providers, SETTINGS, DekAlgorithm.AES256_SIV, 0, now::get)
        .forSubject("customer-1");

    assertThatThrownBy(() -> reader().forVersion("customer-1", 1))
        .isInstanceOf(MissingDekException.class)
        .isNotInstanceOf(ForgottenDekException.class);
  }

  @Test
  void writerOfAForgottenSubject_switchesToANewKeyAfterTheTtl_andNotBefore() {
    EncryptionKeys writer = writer();
    EncryptionKey destroyed = writer.forSubject("customer-1");
    forget("customer-1");

    assertThat(writer.forSubject("customer-1")).isSameAs(destroyed);
    now.addAndGet(TTL);
    EncryptionKey fresh = writer.forSubject("customer-1");

    assertThat(fresh).isNotSameAs(destroyed);
    byte[] ciphertext = fresh.cipher().encrypt(PLAINTEXT);
    assertThat(reader().forVersion("customer-1", 1).decrypt(ciphertext, 0, ciphertext.length))
        .isEqualTo(PLAINTEXT);
  }

  @Test
  void writerAfterTheTtl_withItsDekUnchanged_makesOneStoreReadAndNoKmsCall() {
    EncryptionKeys writer = writer();
    EncryptionKey key = writer.forSubject("customer-1");

    now.addAndGet(TTL);
    assertThat(callsOf(() -> assertThat(writer.forSubject("customer-1")).isSameAs(key)))
        .containsExactly(1, 0);
    assertThat(callsOf(() -> writer.forSubject("customer-1"))).containsExactly(0, 0);
  }

  @Test
  void readerAfterAForgetAndANewKeyOfTheSameVersion_unwrapsTheNewKey() {
    encrypt(writer(), "customer-1");
    DecryptionKeys reader = reader();
    reader.forVersion("customer-1", 1);
    forget("customer-1");
    byte[] newCiphertext = encrypt(writer(), "customer-1");

    now.addAndGet(TTL);
    assertThat(reader.forVersion("customer-1", 1).decrypt(newCiphertext, 0, newCiphertext.length))
        .isEqualTo(PLAINTEXT);
  }
}
