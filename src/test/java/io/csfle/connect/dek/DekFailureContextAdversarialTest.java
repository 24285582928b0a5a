package io.csfle.connect.dek;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.kms.TestKekProvider;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.testing.LeakWatch;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failures from below (KMS, DEK store) reach the Connect boundary naming the KEK (name, KMS type,
 * key id) and the DEK (subject, version, algorithm) they were about, and keep their classification:
 * a KMS outage stays retriable, a denied or failed unwrap does not, a store's kind is kept.
 */
class DekFailureContextAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String SUBJECT = "orders-value";
  private static final DekAlgorithm GCM = DekAlgorithm.AES256_GCM;
  private static final Map<String, String> SECRET = Map.of("secret", "kms-secret-1");
  private static final KekSettings SETTINGS = new KekSettings("kek1", "local-kms", "key1", SECRET);
  private static final String KEK_TEXT = "KEK 'kek1' (local-kms://key1)";

  private final InMemoryDekStore registry = new InMemoryDekStore();

  @AfterEach
  void stopStore() {
    registry.close();
  }

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

  /** When set, every KMS call fails with it. */
  private final AtomicReference<KmsException> kmsFailure = new AtomicReference<>();

  private final KekProviders providers =
      KekProviders.of(new TestKekProvider("local-kms", this::failingOnRequest));

  {
    leaks.secret("kms-secret-1");
  }

  private Kek failingOnRequest(String kmsKeyId, Map<String, String> properties) {
    Kek local = new LocalKekProvider(n -> null).create(kmsKeyId, properties);
    return new Kek() {
      @Override
      public byte[] wrap(byte[] keyMaterial) {
        throwIfFailing();
        return local.wrap(keyMaterial);
      }

      @Override
      public byte[] unwrap(byte[] encryptedKeyMaterial) {
        throwIfFailing();
        return local.unwrap(encryptedKeyMaterial);
      }
    };
  }

  private void throwIfFailing() {
    KmsException failure = kmsFailure.get();
    if (failure != null) {
      throw failure;
    }
  }

  private void registerDek(int version, byte[] wrapped) {
    registry.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, false));
    registry.put(new NewDek(new DekSubject("kek1", SUBJECT, GCM), version, wrapped));
  }

  private byte[] wrappedDek() {
    byte[] material = KeyMaterial.generate(GCM);
    leaks.keyBytes(material);
    return new LocalKekProvider(n -> null).create("key1", SECRET).wrap(material);
  }

  private KmsException kmsFailure(Runnable call) {
    Throwable thrown = leaks.thrown(call::run);
    assertThat(thrown).isInstanceOf(KmsException.class);
    return (KmsException) thrown;
  }

  @ParameterizedTest
  @EnumSource(Reason.class)
  void unwrapFailure_namesKekAndDekAndKeepsItsReason(Reason reason) {
    registerDek(3, wrappedDek());
    KmsException original = new KmsException(reason, "kms says no");
    kmsFailure.set(original);

    KmsException e =
        kmsFailure(
            () ->
                new DecryptionKeys(registry, providers, SETTINGS, GCM, 10).forVersion(SUBJECT, 3));

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.isRetriable()).isEqualTo(reason == Reason.UNAVAILABLE);
    assertThat(e)
        .hasMessageContaining("Cannot unwrap DEK '" + SUBJECT + "' version 3 (AES256_GCM)")
        .hasMessageContaining(KEK_TEXT)
        .hasMessageContaining("kms says no")
        .hasCause(original);
  }

  @Test
  void wrappedBytesTheKmsCannotUnwrap_failNamingKekAndDekNotRetriable() {
    byte[] altered = wrappedDek();
    altered[altered.length - 1] ^= 1;
    registerDek(1, altered);

    KmsException e =
        kmsFailure(
            () ->
                new EncryptionKeys(registry, providers, SETTINGS, GCM, 0, now::get)
                    .forSubject(SUBJECT));

    assertThat(e.reason()).isEqualTo(Reason.INVALID_CIPHERTEXT);
    assertThat(e.isRetriable()).isFalse();
    assertThat(e)
        .hasMessageContaining("DEK '" + SUBJECT + "' version 1 (AES256_GCM) of KEK 'kek1'")
        .hasMessageContaining(KEK_TEXT)
        .hasMessageContaining("local-kms cannot unwrap");
  }

  @Test
  void wrapFailureWhileCreating_namesTheNewDekAndStaysRetriable() {
    kmsFailure.set(new KmsException(Reason.UNAVAILABLE, "throttled"));

    KmsException e =
        kmsFailure(
            () ->
                new EncryptionKeys(registry, providers, SETTINGS, GCM, 0, now::get)
                    .forSubject(SUBJECT));

    assertThat(e.isRetriable()).isTrue();
    assertThat(e)
        .hasMessageContaining("Cannot wrap new DEK '" + SUBJECT + "' version 1 (AES256_GCM)")
        .hasMessageContaining(KEK_TEXT);
  }

  @Test
  void rewrapUnwrapFailure_namesTheVersion() {
    registerDek(2, wrappedDek());
    kmsFailure.set(new KmsException(Reason.ACCESS_DENIED, "not allowed"));

    KmsException e =
        kmsFailure(() -> new DekRewrapper(registry, providers, SETTINGS).rewrap(SUBJECT, GCM));

    assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
    assertThat(e).hasMessageContaining("version 2").hasMessageContaining(KEK_TEXT);
  }

  @Test
  void storeFailureWhileResolving_keepsItsKindAndNamesTheDek() {
    registry.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, false));
    DekStoreException original =
        new DekStoreException(DekStoreException.Kind.UNAVAILABLE, 503, "down");
    registry.failCreateDek = original;

    Throwable thrown =
        leaks.thrown(
            () ->
                new EncryptionKeys(registry, providers, SETTINGS, GCM, 0, now::get)
                    .forSubject(SUBJECT));

    assertThat(thrown).isInstanceOf(DekStoreException.class).hasCause(original);
    DekStoreException e = (DekStoreException) thrown;
    assertThat(e.kind()).isEqualTo(DekStoreException.Kind.UNAVAILABLE);
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.isRetriable()).isTrue();
    assertThat(e)
        .hasMessageContaining("While creating DEK '" + SUBJECT + "' version 1 (AES256_GCM)")
        .hasMessageContaining("of KEK 'kek1'")
        .hasMessageContaining("down");
  }
}
