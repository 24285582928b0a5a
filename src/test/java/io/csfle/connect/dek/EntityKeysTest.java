package io.csfle.connect.dek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EntityKeysTest {
  private static final KekSettings SETTINGS =
      new KekSettings("kek1", "local-kms", "key1", Map.of("secret", "mysecret"));
  private static final String PARENT = "orders-entities";

  private final InMemoryDekStore honest = new InMemoryDekStore();
  private final TamperingDekStore store = new TamperingDekStore(honest);
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

  private EntityKeys entityKeys(DekAlgorithm algorithm) {
    EntityKeys keys =
        new EntityKeys(store, providers, SETTINGS, algorithm, 0, System::currentTimeMillis, 1_000);
    opened.add(keys);
    return keys;
  }

  private EncryptionKeys ordinaryWriter(DekAlgorithm algorithm) {
    EncryptionKeys keys =
        new EncryptionKeys(store, providers, SETTINGS, algorithm, 0, System::currentTimeMillis);
    opened.add(keys);
    return keys;
  }

  private DecryptionKeys reader(DekAlgorithm algorithm) {
    DecryptionKeys keys =
        new DecryptionKeys(store, providers, SETTINGS, algorithm, 100, entityKeys(algorithm));
    opened.add(keys);
    return keys;
  }

  private EncryptionKey writeKey(EntityKeys keys, String entity, EncryptionKeys ordinary) {
    return keys.forEntity(PARENT, entity, ordinary::forSubject);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String decrypt(FieldCipher cipher, byte[] ciphertext) {
    return new String(cipher.decrypt(ciphertext, 0, ciphertext.length), StandardCharsets.UTF_8);
  }

  private RegisteredDek storedEntityKey(String entity, DekAlgorithm algorithm) {
    return honest
        .getDek(new DekSubject("kek1" + EntityKeys.KEK_SUFFIX, entity, algorithm), 1, false)
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(names = {"AES256_GCM", "AES256_SIV"})
  void manyNewEntities_kmsCallsOnlyForParentDeks(DekAlgorithm algorithm) {
    EntityKeys writer = entityKeys(algorithm);
    EncryptionKeys ordinary = ordinaryWriter(algorithm);
    int entities = 400;
    byte[][] ciphertexts = new byte[entities][];
    for (int i = 0; i < entities; i++) {
      String parent = i % 2 == 0 ? "orders-entities" : "payments-entities";
      ciphertexts[i] =
          writer
              .forEntity(parent, "customer-" + i, ordinary::forSubject)
              .cipher()
              .encrypt(utf8("row " + i));
    }
    assertThat(kmsCalls.get()).as("one wrap per parent DEK").isEqualTo(2);

    DecryptionKeys reader = reader(algorithm);
    for (int i = 0; i < entities; i++) {
      assertThat(decrypt(reader.forVersion("customer-" + i, 1), ciphertexts[i]))
          .isEqualTo("row " + i);
    }
    assertThat(kmsCalls.get()).as("plus one unwrap per parent DEK").isEqualTo(4);
  }

  @Test
  void thousandsOfNewEntities_oneKmsCall() {
    EntityKeys writer = entityKeys(DekAlgorithm.AES256_GCM);
    EncryptionKeys ordinary = ordinaryWriter(DekAlgorithm.AES256_GCM);
    for (int i = 0; i < 2_000; i++) {
      writeKey(writer, "customer-" + i, ordinary);
    }
    assertThat(kmsCalls.get()).isEqualTo(1);
    assertThat(honest.listDekSubjects("kek1-entities", false)).hasSize(2_000);
  }

  @Test
  void cachedEntityKey_makesNoStoreCall() {
    EntityKeys writer = entityKeys(DekAlgorithm.AES256_GCM);
    EncryptionKeys ordinary = ordinaryWriter(DekAlgorithm.AES256_GCM);
    EncryptionKey first = writeKey(writer, "customer-1", ordinary);
    int calls = honest.calls.get();
    assertThat(writeKey(writer, "customer-1", ordinary)).isSameAs(first);
    assertThat(honest.calls.get()).isEqualTo(calls);
  }

  @ParameterizedTest
  @EnumSource(names = {"AES256_GCM", "AES256_SIV"})
  void storedEntityKey_hasPinnedLayoutUnderEntitiesKek(DekAlgorithm algorithm) {
    writeKey(entityKeys(algorithm), "customer-7", ordinaryWriter(algorithm));

    RegisteredKek kek = honest.getKek("kek1-entities", false).orElseThrow();
    assertThat(kek.kmsType()).isEqualTo("csfle-subject-dek");
    assertThat(kek.kmsKeyId()).isEqualTo("kek1");
    assertThat(kek.shared()).isFalse();
    byte[] stored = storedEntityKey("customer-7", algorithm).encryptedKeyMaterial();
    int subjectBytes = PARENT.length();
    assertThat(stored).hasSize(1 + 4 + 2 + subjectBytes + 12 + 2 + algorithm.keySize() + 16);
    ByteBuffer in = ByteBuffer.wrap(stored);
    assertThat(in.get()).isEqualTo((byte) 1);
    assertThat(in.getInt()).as("parent version").isEqualTo(1);
    assertThat(in.getShort()).isEqualTo((short) subjectBytes);
    byte[] subject = new byte[subjectBytes];
    in.get(subject);
    assertThat(new String(subject, StandardCharsets.UTF_8)).isEqualTo(PARENT);
    assertThat(honest.getDek(new DekSubject("kek1", PARENT, DekAlgorithm.AES256_GCM), 1, false))
        .as("the parent is an ordinary AES256_GCM DEK of the configured KEK")
        .isPresent();
  }

  @Test
  void ordinaryDekFromBefore_stillDecryptsAndKeepsBeingUsed() {
    DekAlgorithm algorithm = DekAlgorithm.AES256_GCM;
    EncryptionKeys ordinary = ordinaryWriter(algorithm);
    byte[] old = ordinary.forSubject("customer-1").cipher().encrypt(utf8("old"));

    EncryptionKey key = writeKey(entityKeys(algorithm), "customer-1", ordinary);
    byte[] newer = key.cipher().encrypt(utf8("new"));
    assertThat(honest.listDekSubjects("kek1-entities", true)).doesNotContain("customer-1");

    DecryptionKeys reader = reader(algorithm);
    assertThat(decrypt(reader.forVersion("customer-1", 1), old)).isEqualTo("old");
    assertThat(decrypt(reader.forVersion("customer-1", 1), newer)).isEqualTo("new");
  }

  @Test
  void noEntitiesKek_readerUsesOrdinaryDeks() {
    byte[] ct =
        ordinaryWriter(DekAlgorithm.AES256_GCM)
            .forSubject("orders-value")
            .cipher()
            .encrypt(utf8("x"));
    assertThat(decrypt(reader(DekAlgorithm.AES256_GCM).forVersion("orders-value", 1), ct))
        .isEqualTo("x");
  }

  @Test
  void entitySubjectEqualToTheParentSubject_isRefused() {
    assertThatThrownBy(
            () ->
                writeKey(
                    entityKeys(DekAlgorithm.AES256_GCM),
                    PARENT,
                    ordinaryWriter(DekAlgorithm.AES256_GCM)))
        .isInstanceOf(DekException.class)
        .hasMessageContaining("is the parent DEK's subject");
    assertThat(kmsCalls.get()).isZero();
  }

  @Test
  void wrappedMaterialOfWrongLength_isRefused() {
    writeKey(
        entityKeys(DekAlgorithm.AES256_GCM), "customer-1", ordinaryWriter(DekAlgorithm.AES256_GCM));
    store.dekAnswers =
        d ->
            d.kekName().endsWith("-entities")
                ? TamperingDekStore.withAlgorithm(
                    d, d.algorithm(), java.util.Arrays.copyOf(d.encryptedKeyMaterial(), 60))
                : d;
    assertThatThrownBy(() -> reader(DekAlgorithm.AES256_GCM).forVersion("customer-1", 1))
        .isInstanceOf(DekStoreAnswerException.class)
        .hasMessageContaining("entity key 'customer-1'")
        .hasMessageContaining("not the");
  }

  @Test
  void parentVersionThatDoesNotExist_isRefused() {
    writeKey(
        entityKeys(DekAlgorithm.AES256_GCM), "customer-1", ordinaryWriter(DekAlgorithm.AES256_GCM));
    store.dekAnswers =
        d -> {
          if (!d.kekName().endsWith("-entities")) {
            return d;
          }
          byte[] changed = d.encryptedKeyMaterial().clone();
          ByteBuffer.wrap(changed).putInt(1, 7);
          return TamperingDekStore.withAlgorithm(d, d.algorithm(), changed);
        };
    assertThatThrownBy(() -> reader(DekAlgorithm.AES256_GCM).forVersion("customer-1", 1))
        .isInstanceOf(DekStoreAnswerException.class)
        .hasMessageContaining("parent DEK 'orders-entities' version 7")
        .hasMessageContaining("does not exist");
  }

  @Test
  void materialSwappedBetweenEntities_isRefused() {
    EntityKeys writer = entityKeys(DekAlgorithm.AES256_GCM);
    EncryptionKeys ordinary = ordinaryWriter(DekAlgorithm.AES256_GCM);
    writeKey(writer, "customer-1", ordinary);
    writeKey(writer, "customer-2", ordinary);
    byte[] otherEntity =
        storedEntityKey("customer-2", DekAlgorithm.AES256_GCM).encryptedKeyMaterial();
    store.dekAnswers =
        d ->
            d.kekName().endsWith("-entities") && d.subject().equals("customer-1")
                ? TamperingDekStore.withAlgorithm(d, d.algorithm(), otherEntity)
                : d;
    assertThatThrownBy(() -> reader(DekAlgorithm.AES256_GCM).forVersion("customer-1", 1))
        .isInstanceOf(DekStoreAnswerException.class)
        .hasMessageContaining("does not unwrap");
  }

  @Test
  void materialMovedToAnotherVersion_isRefused() {
    writeKey(
        entityKeys(DekAlgorithm.AES256_GCM), "customer-1", ordinaryWriter(DekAlgorithm.AES256_GCM));
    RegisteredDek v1 = storedEntityKey("customer-1", DekAlgorithm.AES256_GCM);
    ForwardingDekStore answersV1AsV2 =
        new ForwardingDekStore(store) {
          @Override
          public Optional<RegisteredDek> getDek(
              DekSubject dek, int version, boolean includeDeleted) {
            return dek.kekName().endsWith("-entities") && version == 2
                ? Optional.of(TamperingDekStore.withVersion(v1, 2))
                : super.getDek(dek, version, includeDeleted);
          }
        };
    EntityKeys reader =
        new EntityKeys(
            answersV1AsV2,
            providers,
            SETTINGS,
            DekAlgorithm.AES256_GCM,
            0,
            System::currentTimeMillis,
            10);
    opened.add(reader);
    assertThatThrownBy(() -> reader.forVersion("customer-1", 2))
        .isInstanceOf(DekStoreAnswerException.class)
        .hasMessageContaining("does not unwrap");
  }

  @Test
  void entitiesKekWithUnexpectedKmsTypeOrKey_isRefused() {
    writeKey(
        entityKeys(DekAlgorithm.AES256_GCM), "customer-1", ordinaryWriter(DekAlgorithm.AES256_GCM));
    store.kekAnswers =
        k ->
            k.name().endsWith("-entities")
                ? new RegisteredKek(
                    k.name(), "aws-kms", "arn:x", k.kmsProps(), k.doc(), false, k.ts(), false)
                : k;
    assertThatThrownBy(() -> reader(DekAlgorithm.AES256_GCM).forVersion("customer-1", 1))
        .isInstanceOf(DekStoreAnswerException.class)
        .hasMessageContaining("csfle-subject-dek://kek1");
    store.kekAnswers =
        k ->
            k.name().endsWith("-entities")
                ? new RegisteredKek(
                    k.name(), k.kmsType(), "kek2", k.kmsProps(), k.doc(), false, k.ts(), false)
                : k;
    assertThatThrownBy(
            () ->
                writeKey(
                    entityKeys(DekAlgorithm.AES256_GCM),
                    "customer-2",
                    ordinaryWriter(DekAlgorithm.AES256_GCM)))
        .isInstanceOf(DekStoreAnswerException.class)
        .hasMessageContaining("kek2");
  }

  @Test
  void twoWritersCreatingTheSameEntities_convergeOnOneKey() throws Exception {
    DekAlgorithm algorithm = DekAlgorithm.AES256_GCM;
    List<EntityKeys> writers = List.of(entityKeys(algorithm), entityKeys(algorithm));
    EncryptionKeys ordinary = ordinaryWriter(algorithm);
    int entities = 200;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> ciphertexts = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        EntityKeys writer = writers.get(t % 2);
        for (int i = 0; i < entities; i++) {
          String entity = "customer-" + i;
          String text = entity + "/" + t;
          ciphertexts.add(
              pool.submit(() -> writeKey(writer, entity, ordinary).cipher().encrypt(utf8(text))));
        }
      }
      DecryptionKeys reader = reader(algorithm);
      for (int n = 0; n < ciphertexts.size(); n++) {
        int t = n / entities;
        int i = n % entities;
        byte[] ct = ciphertexts.get(n).get(60, TimeUnit.SECONDS);
        assertThat(decrypt(reader.forVersion("customer-" + i, 1), ct))
            .isEqualTo("customer-" + i + "/" + t);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(honest.listDekSubjects("kek1-entities", false)).hasSize(entities);
  }
}
