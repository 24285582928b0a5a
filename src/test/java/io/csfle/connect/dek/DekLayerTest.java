package io.csfle.connect.dek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.kms.ForwardingKek;
import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.TestKekProvider;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DekLayerTest {
  private static final String SUBJECT = "orders-value";
  private static final DekAlgorithm ALG = DekAlgorithm.AES256_GCM;
  private static final DekSubject DEK = new DekSubject("kek1", SUBJECT, ALG);
  private static final KekSettings SETTINGS =
      new KekSettings("kek1", "local-kms", "key1", Map.of("secret", "mysecret"));

  private final InMemoryDekStore registry = new InMemoryDekStore();

  @AfterEach
  void stopStore() {
    registry.close();
  }

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final AtomicInteger kmsCalls = new AtomicInteger();
  private final AtomicInteger kmsClientsOpen = new AtomicInteger();
  private final KekProviders providers = KekProviders.of(countingLocalKms());

  private KekProvider countingLocalKms() {
    LocalKekProvider local = new LocalKekProvider(name -> null);
    return new TestKekProvider(
        "local-kms",
        (kmsKeyId, properties) -> {
          kmsClientsOpen.incrementAndGet();
          return new ForwardingKek(
              local.create(kmsKeyId, properties),
              kmsCalls::incrementAndGet,
              kmsClientsOpen::decrementAndGet);
        });
  }

  private EncryptionKeys writer(int expiryDays) {
    registry.clock(now::get);
    return new EncryptionKeys(registry, providers, SETTINGS, ALG, expiryDays, now::get);
  }

  private DecryptionKeys reader() {
    return new DecryptionKeys(registry, providers, SETTINGS, ALG, 100);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String decrypt(FieldCipher cipher, byte[] ct) {
    return new String(cipher.decrypt(ct, 0, ct.length), StandardCharsets.UTF_8);
  }

  @Test
  void firstUse_createsKekAndDekThenSteadyStateMakesNoCalls() {
    EncryptionKeys writer = writer(0);
    EncryptionKey key = writer.forSubject(SUBJECT);
    int registryCalls = registry.calls.get();
    int kms = kmsCalls.get();

    for (int i = 0; i < 1000; i++) {
      assertThat(writer.forSubject(SUBJECT)).isSameAs(key);
    }

    assertThat(key.version()).isEqualTo(1);
    assertThat(registry.storedKek("kek1").orElseThrow().kmsKeyId()).isEqualTo("key1");
    assertThat(registry.calls.get()).isEqualTo(registryCalls);
    assertThat(kmsCalls.get()).isEqualTo(kms).isEqualTo(1);
  }

  @Test
  void closingWriterAndReader_closesTheKmsClientsTheyBuilt() {
    EncryptionKeys writer = writer(0);
    byte[] ct = writer.forSubject(SUBJECT).cipher().encrypt(utf8("alice"));
    DecryptionKeys reader = reader();
    reader.forVersion(SUBJECT, 1);
    assertThat(kmsClientsOpen.get()).isEqualTo(2);

    writer.close();
    reader.close();

    assertThat(kmsClientsOpen.get()).isZero();
    // A reader used again after close builds its client anew rather than failing.
    assertThat(decrypt(reader().forVersion(SUBJECT, 1), ct)).isEqualTo("alice");
  }

  @Test
  void writerAndReader_agreeOnTheRegisteredDek() {
    byte[] ct = writer(0).forSubject(SUBJECT).cipher().encrypt(utf8("alice"));
    DecryptionKeys reader = reader();

    assertThat(decrypt(reader.forVersion(SUBJECT, 1), ct)).isEqualTo("alice");
    int calls = registry.calls.get();
    int kms = kmsCalls.get();
    for (int i = 0; i < 100; i++) {
      reader.forVersion(SUBJECT, 1);
    }
    assertThat(registry.calls.get()).isEqualTo(calls);
    assertThat(kmsCalls.get()).isEqualTo(kms);
  }

  @Test
  void lostCreateRace_usesTheWinnersDekNeverItsOwn() {
    EncryptionKeys writer = writer(0);
    writer.forSubject("warmup-value"); // registers the KEK
    byte[] winnerMaterial = KeyMaterial.generate(ALG);
    byte[] winnerWrapped =
        new LocalKekProvider(n -> null)
            .create("key1", Map.of("secret", "mysecret"))
            .wrap(winnerMaterial);
    registry.beforeCreateDek = () -> registry.put(new NewDek(DEK, 1, winnerWrapped));

    byte[] ct = writer.forSubject(SUBJECT).cipher().encrypt(utf8("bob"));

    FieldCipher winner = FieldCipher.of(ALG, winnerMaterial);
    assertThat(decrypt(winner, ct)).isEqualTo("bob");
  }

  @Test
  void kekRegisteredWithOtherKey_errorNamesBothKeys() {
    registry.createKek(new NewKek("kek1", "local-kms", "other-key", Map.of(), null, false));

    assertThatThrownBy(() -> writer(0).forSubject(SUBJECT))
        .isInstanceOf(DekException.class)
        .hasMessageContaining("local-kms://other-key")
        .hasMessageContaining("local-kms://key1");
  }

  @Test
  void missingKekWithoutKmsSettings_saysWhatToConfigure() {
    EncryptionKeys writer =
        new EncryptionKeys(
            registry, providers, new KekSettings("kek1", null, null, Map.of()), ALG, 0, now::get);
    assertThatThrownBy(() -> writer.forSubject(SUBJECT))
        .isInstanceOf(DekException.class)
        .hasMessageContaining("encrypt.kms.type");
  }

  @Test
  void expiredDek_rotatesToNextVersionAndOldCiphertextStillDecrypts() {
    EncryptionKeys writer = writer(1);
    EncryptionKey v1 = writer.forSubject(SUBJECT);
    byte[] oldCt = v1.cipher().encrypt(utf8("old"));

    now.addAndGet(EncryptionKeys.DAY_MILLIS - 1);
    assertThat(writer.forSubject(SUBJECT)).isSameAs(v1);
    now.addAndGet(1);
    EncryptionKey v2 = writer.forSubject(SUBJECT);

    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(decrypt(reader().forVersion(SUBJECT, 1), oldCt)).isEqualTo("old");
    assertThat(decrypt(reader().forVersion(SUBJECT, 2), v2.cipher().encrypt(utf8("new"))))
        .isEqualTo("new");
  }

  @Test
  void storeClockDaysBehind_createsOneNewVersionNotOnePerRecord() {
    EncryptionKeys writer = writer(1);
    registry.clock(() -> now.get() - 10 * EncryptionKeys.DAY_MILLIS);

    EncryptionKey first = writer.forSubject(SUBJECT);
    for (int i = 0; i < 100; i++) {
      assertThat(writer.forSubject(SUBJECT)).isSameAs(first);
    }
    assertThat(first.version()).isEqualTo(1);
    assertThat(registry.createDekCalls.get()).isEqualTo(1);
  }

  @Test
  void storeTimestampFarInTheFuture_neverWrapsIntoExpired() {
    EncryptionKeys writer = writer(1);
    registry.clock(() -> Long.MAX_VALUE - 1);

    EncryptionKey first = writer.forSubject(SUBJECT);
    now.addAndGet(2 * EncryptionKeys.DAY_MILLIS);
    // Counted from the store's ts, saturated: ts + one day would overflow into the past.
    assertThat(writer.forSubject(SUBJECT)).isSameAs(first);
    assertThat(registry.createDekCalls.get()).isEqualTo(1);
    // A writer loading that DEK later sees a ts far in the future: no overflow, no rotation storm.
    EncryptionKeys later = writer(1);
    registry.clock(() -> Long.MAX_VALUE - 1);
    EncryptionKey loaded = later.forSubject(SUBJECT);
    assertThat(later.forSubject(SUBJECT)).isSameAs(loaded);
    assertThat(registry.createDekCalls.get()).isEqualTo(1);
  }

  @Test
  void rotatingWriter_startsFromTheLatestVersion() {
    writer(1).forSubject(SUBJECT);
    now.addAndGet(2 * EncryptionKeys.DAY_MILLIS);
    writer(1).forSubject(SUBJECT); // rotates to v2
    assertThat(writer(30).forSubject(SUBJECT).version()).isEqualTo(2);
  }

  @Test
  void failedRotation_keepsTheExpiredDekAndRetriesLater() {
    EncryptionKeys writer = writer(1);
    writer.forSubject(SUBJECT);
    registry.failCreateDek = new DekStoreException(DekStoreException.Kind.UNAVAILABLE, 503, "down");
    now.addAndGet(EncryptionKeys.DAY_MILLIS);

    assertThat(writer.forSubject(SUBJECT).version()).isEqualTo(1);
    int attempts = registry.createDekCalls.get();
    for (int i = 0; i < 100; i++) {
      writer.forSubject(SUBJECT);
    }
    assertThat(registry.createDekCalls.get()).isEqualTo(attempts);

    registry.failCreateDek = null;
    now.addAndGet(EncryptionKeys.ROTATION_RETRY_MILLIS);
    assertThat(writer.forSubject(SUBJECT).version()).isEqualTo(2);
  }

  @Test
  void register_rotatesAnExpiredDekOnlyWhenAskedAndOnlyOnce() {
    assertThat(writer(1).register(SUBJECT, false).version()).isEqualTo(1);
    now.addAndGet(2 * EncryptionKeys.DAY_MILLIS);

    EncryptionKey expired = writer(1).register(SUBJECT, false);
    assertThat(expired.version()).isEqualTo(1);
    assertThat(expired.isExpiredAt(now.get())).isTrue();
    assertThat(registry.createDekCalls.get()).isEqualTo(1);

    assertThat(writer(1).register(SUBJECT, true).version()).isEqualTo(2);
    assertThat(writer(1).register(SUBJECT, true).version()).isEqualTo(2);
    assertThat(registry.createDekCalls.get()).isEqualTo(2);
  }

  @Test
  void registerWithAFailingStore_throwsInsteadOfKeepingTheExpiredDek() {
    writer(1).register(SUBJECT, false);
    now.addAndGet(EncryptionKeys.DAY_MILLIS);
    registry.failCreateDek = new DekStoreException(DekStoreException.Kind.UNAVAILABLE, 503, "down");

    assertThatThrownBy(() -> writer(1).register(SUBJECT, true))
        .isInstanceOf(DekStoreException.class);
    assertThatThrownBy(() -> writer(0).register(SUBJECT, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rotation mode");
  }

  @Test
  void sharedKek_usesServerKeyMaterialWithoutKms() {
    registry.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, true));
    EncryptionKeys writer =
        new EncryptionKeys(
            registry,
            KekProviders.of(),
            new KekSettings("kek1", null, null, Map.of()),
            ALG,
            0,
            now::get);

    byte[] ct = writer.forSubject(SUBJECT).cipher().encrypt(utf8("carol"));

    assertThat(kmsCalls.get()).isZero();
    byte[] material = registry.getDek(DEK, 1, false).orElseThrow().keyMaterial();
    assertThat(decrypt(FieldCipher.of(ALG, material), ct)).isEqualTo("carol");
  }

  @Test
  void softDeletedDek_stillDecryptsButWritersAreToldToUndelete() {
    byte[] ct = writer(0).forSubject(SUBJECT).cipher().encrypt(utf8("dave"));
    registry.softDelete(DEK, 1);

    assertThat(decrypt(reader().forVersion(SUBJECT, 1), ct)).isEqualTo("dave");
    assertThatThrownBy(() -> writer(0).forSubject(SUBJECT))
        .isInstanceOf(DekException.class)
        .hasMessageContaining("soft-deleted");
  }

  @Test
  void unknownVersion_isANonRetriableErrorNamingIt() {
    writer(0).forSubject(SUBJECT);
    assertThatThrownBy(() -> reader().forVersion(SUBJECT, 7))
        .isInstanceOf(DekException.class)
        .hasMessageContaining("version 7")
        .hasMessageContaining(SUBJECT);
  }

  @Test
  void registryOutage_propagatesAsRetriableRegistryError() {
    DecryptionKeys reader = reader();
    assertThatThrownBy(() -> reader.forVersion(SUBJECT, 1))
        .isInstanceOf(DekException.class); // KEK absent

    registry.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, false));
    registry.failCreateDek = new DekStoreException(DekStoreException.Kind.UNAVAILABLE, 503, "x");
    assertThatThrownBy(() -> writer(0).forSubject(SUBJECT))
        .isInstanceOf(DekStoreException.class)
        .satisfies(e -> assertThat(((DekStoreException) e).isRetriable()).isTrue());
  }
}
