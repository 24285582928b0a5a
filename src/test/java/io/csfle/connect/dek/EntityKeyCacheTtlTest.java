package io.csfle.connect.dek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Entity keys, on both sides, are trusted for {@code dek.cache.ttl.ms} only: after it, one store
 * read per entity (no KMS call) tells whether the entity key was destroyed, so a running task stops
 * using a forgotten entity's key within that time; a reader then takes the entity for forgotten,
 * but never a tampered entity key or an outage. Driven by an injected clock.
 */
class EntityKeyCacheTtlTest {
  private static final DekAlgorithm GCM = DekAlgorithm.AES256_GCM;
  private static final KekSettings SETTINGS =
      new KekSettings("kek1", "local-kms", "key1", Map.of("secret", "mysecret"));
  private static final String PARENT = "orders-entities";
  private static final long TTL = 60_000L;
  private static final byte[] PLAINTEXT = "alice@example.com".getBytes(StandardCharsets.UTF_8);

  private final InMemoryDekStore honest = new InMemoryDekStore();
  private final TamperingDekStore store = new TamperingDekStore(honest);
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final AtomicInteger kmsCalls = new AtomicInteger();
  private final KekProviders providers =
      KekProviders.of(new LocalKekProvider(name -> null))
          .withListener((type, operation, nanos, failure) -> kmsCalls.incrementAndGet());
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable keys : opened) {
      keys.close();
    }
    honest.close();
  }

  private EntityKeys entityKeys() {
    EntityKeys keys = new EntityKeys(store, providers, SETTINGS, GCM, 0, now::get, 1_000, TTL);
    opened.add(keys);
    return keys;
  }

  private EncryptionKeys ordinary() {
    EncryptionKeys keys =
        new EncryptionKeys(store, providers, SETTINGS, GCM, 0, now::get, 100, TTL);
    opened.add(keys);
    return keys;
  }

  private DecryptionKeys reader() {
    DecryptionKeys keys =
        new DecryptionKeys(store, providers, SETTINGS, GCM, 100, TTL, now::get, entityKeys());
    opened.add(keys);
    return keys;
  }

  private static byte[] encrypt(EntityKeys writer, EncryptionKeys ordinary, String entity) {
    return writer.forEntity(PARENT, entity, ordinary::forSubject).cipher().encrypt(PLAINTEXT);
  }

  private static byte[] decrypt(DecryptionKeys reader, String entity, byte[] ciphertext) {
    return reader.forVersion(entity, 1).decrypt(ciphertext, 0, ciphertext.length);
  }

  /** Destroys every version of {@code entity}'s entity key, as csfle-dek-admin forget does. */
  private void forget(String entity) {
    try (DekStoreAdmin admin = honest.anotherClient()) {
      DekSubject dek = new DekSubject("kek1" + EntityKeys.KEK_SUFFIX, entity, GCM);
      admin.deleteDek(dek, false);
      admin.deleteDek(dek, true);
    }
  }

  /** Store and KMS calls made by {@code action}. */
  private int[] callsOf(Runnable action) {
    int storeBefore = honest.calls.get();
    int kmsBefore = kmsCalls.get();
    action.run();
    return new int[] {honest.calls.get() - storeBefore, kmsCalls.get() - kmsBefore};
  }

  @Test
  void steadyState_costsNoCallPerRecord_andOneStoreReadPerEntityPerTtl_neverAKmsCall() {
    EntityKeys writer = entityKeys();
    EncryptionKeys ordinary = ordinary();
    DecryptionKeys reader = reader();
    List<String> entities = List.of("customer-1", "customer-2", "customer-3");
    List<byte[]> ciphertexts = new ArrayList<>();
    for (String entity : entities) {
      ciphertexts.add(encrypt(writer, ordinary, entity));
    }
    for (int i = 0; i < entities.size(); i++) {
      assertThat(decrypt(reader, entities.get(i), ciphertexts.get(i))).isEqualTo(PLAINTEXT);
    }

    int[] steady =
        callsOf(
            () -> {
              for (int round = 0; round < 50; round++) {
                for (int i = 0; i < entities.size(); i++) {
                  encrypt(writer, ordinary, entities.get(i));
                  decrypt(reader, entities.get(i), ciphertexts.get(i));
                }
              }
            });
    assertThat(steady).containsExactly(0, 0);

    now.addAndGet(TTL);
    int[] afterTtl =
        callsOf(
            () -> {
              for (int round = 0; round < 50; round++) {
                for (int i = 0; i < entities.size(); i++) {
                  encrypt(writer, ordinary, entities.get(i));
                  assertThat(decrypt(reader, entities.get(i), ciphertexts.get(i)))
                      .isEqualTo(PLAINTEXT);
                }
              }
            });
    // One read per entity on each side; the stored entity keys are unchanged, so nothing unwraps.
    assertThat(afterTtl).containsExactly(2 * entities.size(), 0);
  }

  @Test
  void destroyedEntityKey_writerStopsUsingItWithinTheTtl_andAFreshKeyTakesItsPlace() {
    EntityKeys writer = entityKeys();
    EncryptionKeys ordinary = ordinary();
    FieldCipher before = writer.forEntity(PARENT, "customer-7", ordinary::forSubject).cipher();
    byte[] oldCiphertext = before.encrypt(PLAINTEXT);

    forget("customer-7");
    assertThat(writer.forEntity(PARENT, "customer-7", ordinary::forSubject).cipher())
        .as("inside the TTL the cached key is still used")
        .isSameAs(before);

    now.addAndGet(TTL);
    FieldCipher after = writer.forEntity(PARENT, "customer-7", ordinary::forSubject).cipher();
    assertThat(after).isNotSameAs(before);
    assertThatThrownBy(() -> after.decrypt(oldCiphertext, 0, oldCiphertext.length))
        .as("the fresh key is new key material, not the destroyed one")
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void destroyedEntityKey_isForgottenForTheReaderAfterTheTtl_andCostsNoStoreReadUntilItExpires() {
    EntityKeys writer = entityKeys();
    EncryptionKeys ordinary = ordinary();
    byte[] forgotten = encrypt(writer, ordinary, "customer-8");
    byte[] kept = encrypt(writer, ordinary, "customer-9");
    DecryptionKeys reader = reader();
    assertThat(decrypt(reader, "customer-8", forgotten)).isEqualTo(PLAINTEXT);

    forget("customer-8");
    assertThat(decrypt(reader, "customer-8", forgotten))
        .as("inside the TTL the cached key still decrypts")
        .isEqualTo(PLAINTEXT);

    now.addAndGet(TTL);
    assertThatThrownBy(() -> decrypt(reader, "customer-8", forgotten))
        .isInstanceOf(ForgottenDekException.class)
        .hasMessageContaining("customer-8")
        .hasMessageContaining("kek1-entities");
    int[] repeated =
        callsOf(
            () -> {
              for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> decrypt(reader, "customer-8", forgotten))
                    .isInstanceOf(ForgottenDekException.class);
              }
            });
    assertThat(repeated).containsExactly(0, 0);
    assertThat(decrypt(reader, "customer-9", kept)).isEqualTo(PLAINTEXT);
  }

  @Test
  void entityKeyThatFailsToUnwrap_isNeverTakenForForgotten() {
    encrypt(entityKeys(), ordinary(), "customer-10");
    store.dekAnswers =
        d -> {
          if (!d.kekName().endsWith(EntityKeys.KEK_SUFFIX)) {
            return d;
          }
          byte[] altered = d.encryptedKeyMaterial().clone();
          altered[altered.length - 1] ^= 1;
          return TamperingDekStore.withMaterial(d, altered, null);
        };
    assertThatThrownBy(() -> reader().forVersion("customer-10", 1))
        .isInstanceOf(DekStoreAnswerException.class)
        .isNotInstanceOf(ForgottenDekException.class);
  }

  @Test
  void storeOutage_isNeverTakenForForgotten() {
    byte[] ciphertext = encrypt(entityKeys(), ordinary(), "customer-11");
    DecryptionKeys reader = reader();
    assertThat(decrypt(reader, "customer-11", ciphertext)).isEqualTo(PLAINTEXT);

    now.addAndGet(TTL);
    store.dekAnswers =
        d -> {
          throw new DekStoreException(DekStoreException.Kind.UNAVAILABLE, 503, "store down");
        };
    assertThatThrownBy(() -> decrypt(reader, "customer-11", ciphertext))
        .isInstanceOf(DekStoreException.class);
  }

  @Test
  void missingVersionOfAnEntityThatStillHasOne_isMissingNotForgotten() {
    encrypt(entityKeys(), ordinary(), "customer-12");
    assertThatThrownBy(() -> reader().forVersion("customer-12", 2))
        .isInstanceOf(MissingDekException.class)
        .isNotInstanceOf(ForgottenDekException.class);
  }

  @Test
  void alteredCiphertextOfALiveEntity_failsToDecrypt_withoutAnyKeyError() {
    byte[] ciphertext = encrypt(entityKeys(), ordinary(), "customer-13");
    byte[] altered = Arrays.copyOf(ciphertext, ciphertext.length);
    altered[altered.length - 1] ^= 1;
    FieldCipher cipher = reader().forVersion("customer-13", 1);
    assertThatThrownBy(() -> cipher.decrypt(altered, 0, altered.length))
        .isNotInstanceOf(DekException.class);
  }
}
