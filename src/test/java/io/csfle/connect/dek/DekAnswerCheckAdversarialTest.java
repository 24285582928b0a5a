package io.csfle.connect.dek;

import static io.csfle.connect.dek.TamperingDekStore.withAlgorithm;
import static io.csfle.connect.dek.TamperingDekStore.withKekName;
import static io.csfle.connect.dek.TamperingDekStore.withMaterial;
import static io.csfle.connect.dek.TamperingDekStore.withSubject;
import static io.csfle.connect.dek.TamperingDekStore.withVersion;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.TestKekProvider;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredKek;
import io.csfle.connect.testing.LeakWatch;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A DEK store that answers with another DEK than asked (algorithm, version, subject, KEK, key
 * material) is refused by the writer, the reader and the re-wrapper alike, with an error that names
 * both sides, and the refused key is never used: no cipher is handed out and the KMS is never asked
 * to unwrap it.
 */
class DekAnswerCheckAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String SUBJECT = "orders-value";
  private static final DekAlgorithm GCM = DekAlgorithm.AES256_GCM;
  private static final DekSubject DEK = new DekSubject("kek1", SUBJECT, GCM);
  private static final Map<String, String> SECRET = Map.of("secret", "mysecret");
  private static final KekSettings SETTINGS = new KekSettings("kek1", "local-kms", "key1", SECRET);
  private static final Kek LOCAL = new LocalKekProvider(name -> null).create("key1", SECRET);

  private final InMemoryDekStore honest = new InMemoryDekStore();

  @AfterEach
  void stopStore() {
    honest.close();
  }

  private final TamperingDekStore store = new TamperingDekStore(honest);
  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final AtomicInteger unwraps = new AtomicInteger();
  private final KekProviders providers =
      KekProviders.of(new TestKekProvider("local-kms", (id, props) -> countingUnwraps(id, props)));

  /** The local KMS, counting unwraps: a refused DEK must never reach the KMS. */
  private Kek countingUnwraps(String kmsKeyId, Map<String, String> properties) {
    Kek local = new LocalKekProvider(n -> null).create(kmsKeyId, properties);
    return new Kek() {
      @Override
      public byte[] wrap(byte[] keyMaterial) {
        return local.wrap(keyMaterial);
      }

      @Override
      public byte[] unwrap(byte[] encryptedKeyMaterial) {
        unwraps.incrementAndGet();
        return local.unwrap(encryptedKeyMaterial);
      }
    };
  }

  {
    honest.clock(now::get);
  }

  private EncryptionKeys writer(int expiryDays) {
    return new EncryptionKeys(store, providers, SETTINGS, GCM, expiryDays, now::get);
  }

  private DecryptionKeys reader() {
    return new DecryptionKeys(store, providers, SETTINGS, GCM, 100);
  }

  /** Fresh key material of {@code algorithm}, registered as a marker that must never leak. */
  private static byte[] keyOf(DekAlgorithm algorithm) {
    byte[] material = KeyMaterial.generate(algorithm);
    leaks.keyBytes(material);
    leaks.keyBytes(Arrays.copyOfRange(material, 2, material.length));
    return material;
  }

  /** Registers DEK v1 of the subject honestly and returns its wrapped bytes. */
  private byte[] registerHonestDek(int version) {
    if (honest.storedKek("kek1").isEmpty()) {
      honest.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, false));
    }
    byte[] wrapped = LOCAL.wrap(keyOf(GCM));
    honest.put(new NewDek(DEK, version, wrapped));
    return wrapped;
  }

  private DekStoreAnswerException refused(Runnable call) {
    Throwable thrown = leaks.thrown(call::run);
    assertThat(thrown).isInstanceOf(DekStoreAnswerException.class);
    return (DekStoreAnswerException) thrown;
  }

  // ---- writer: load ----

  @ParameterizedTest
  @EnumSource(
      value = DekAlgorithm.class,
      names = {"AES256_SIV", "AES128_GCM"})
  void writerLoadingADekOfAnotherAlgorithm_isRefusedWithoutUnwrapping(DekAlgorithm other) {
    registerHonestDek(1);
    byte[] otherWrapped = LOCAL.wrap(keyOf(other));
    store.dekAnswers = d -> withAlgorithm(d, other, otherWrapped);

    DekStoreAnswerException e = refused(() -> writer(0).forSubject(SUBJECT));

    assertThat(e)
        .hasMessageContaining("DEK '" + SUBJECT + "' version 1 (AES256_GCM) of KEK 'kek1'")
        .hasMessageContaining("algorithm " + other + ", asked AES256_GCM");
    assertThat(unwraps).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -3})
  void rotatingWriterGivenALatestVersionBelowOne_isRefused(int version) {
    registerHonestDek(1);
    store.dekAnswers = d -> withVersion(d, version);

    DekStoreAnswerException e = refused(() -> writer(30).forSubject(SUBJECT));

    assertThat(e)
        .hasMessageContaining("latest version")
        .hasMessageContaining("version " + version + ", asked a version >= 1");
    assertThat(unwraps).hasValue(0);
  }

  @Test
  void writerGivenAnotherVersionThanAsked_isRefused() {
    registerHonestDek(1);
    store.dekAnswers = d -> withVersion(d, 3);

    assertThat(refused(() -> writer(0).forSubject(SUBJECT)))
        .hasMessageContaining("version 3, asked 1");
  }

  @Test
  void writerGivenAnotherSubjectsDek_isRefused() {
    registerHonestDek(1);
    store.dekAnswers = d -> withSubject(d, "payments-value");

    assertThat(refused(() -> writer(0).forSubject(SUBJECT)))
        .hasMessageContaining("subject 'payments-value', asked '" + SUBJECT + "'");
  }

  @Test
  void writerGivenADekOfAnotherKek_isRefused() {
    registerHonestDek(1);
    store.dekAnswers = d -> withKekName(d, "attacker_kek");

    assertThat(refused(() -> writer(0).forSubject(SUBJECT)))
        .hasMessageContaining("KEK 'attacker_kek', asked 'kek1'");
  }

  @Test
  void writerGivenADekWithoutKeyMaterial_isRefused() {
    registerHonestDek(1);
    store.dekAnswers = d -> withMaterial(d, new byte[0], null);

    assertThat(refused(() -> writer(0).forSubject(SUBJECT)))
        .hasMessageContaining("no key material");
  }

  @ParameterizedTest
  @ValueSource(ints = {18, 50})
  void wrappedKeyMaterialOfTheWrongSize_isRefusedNamingTheSizes(int size) {
    registerHonestDek(1);
    byte[] odd = keyOf(GCM);
    byte[] resized = Arrays.copyOf(odd, size);
    store.dekAnswers = d -> withMaterial(d, LOCAL.wrap(resized), null);

    DekStoreAnswerException e = refused(() -> writer(0).forSubject(SUBJECT));

    assertThat(e)
        .hasMessageContaining("key material unwrapped by the KMS is " + size + " bytes")
        .hasMessageContaining("32-byte AES key");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 18, 50})
  void sharedKeksPlaintextKeyMaterialOfTheWrongSize_isRefused(int size) {
    honest.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, true));
    honest.put(new NewDek(DEK, 1, null));
    byte[] resized = Arrays.copyOf(keyOf(GCM), size);
    store.dekAnswers = d -> withMaterial(d, null, resized);
    KekSettings sharedSettings = new KekSettings("kek1", null, null, Map.of());

    DekStoreAnswerException e =
        refused(
            () ->
                new EncryptionKeys(store, KekProviders.of(), sharedSettings, GCM, 0, now::get)
                    .forSubject(SUBJECT));

    assertThat(e).hasMessageContaining(size == 0 ? "no key material" : size + " bytes");
  }

  @Test
  void plaintextKeyMaterialAlongsideANonSharedKeksDek_isIgnoredForTheKmsUnwrappedKey() {
    registerHonestDek(1);
    byte[] planted = keyOf(GCM);
    store.dekAnswers = d -> withMaterial(d, d.encryptedKeyMaterial(), planted);

    byte[] ct = writer(0).forSubject(SUBJECT).cipher().encrypt(utf8("x"));

    assertThat(unwraps).hasValue(1);
    assertThat(reader().forVersion(SUBJECT, 1).decrypt(ct, 0, ct.length)).isEqualTo(utf8("x"));
    assertThat(
            leaks.thrown(
                () ->
                    io.csfle.connect.crypto.FieldCipher.of(GCM, planted).decrypt(ct, 0, ct.length)))
        .isInstanceOf(io.csfle.connect.crypto.CryptoException.class);
  }

  // ---- writer: create, rotate, race ----

  @Test
  void createAnsweredWithAnotherVersion_isRefusedAndNoKeyIsHandedOut() {
    honest.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, false));
    store.dekAnswers = d -> withVersion(d, 2);

    assertThat(refused(() -> writer(0).forSubject(SUBJECT)))
        .hasMessageContaining("version 2, asked 1");
  }

  @Test
  void createAnsweredWithOtherWrappedBytes_isRefused() {
    honest.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, false));
    byte[] other = LOCAL.wrap(keyOf(GCM));
    store.dekAnswers = d -> withMaterial(d, other, null);

    assertThat(refused(() -> writer(0).forSubject(SUBJECT)))
        .hasMessageContaining("other encryptedKeyMaterial than the one sent");
  }

  @Test
  void rotationAnsweredWithAnotherVersion_keepsTheCheckedDekAndLogsTheRefusal() {
    EncryptionKeys writer = writer(1);
    EncryptionKey v1 = writer.forSubject(SUBJECT);
    store.dekAnswers = d -> d.version() == 2 ? withVersion(d, 5) : d;
    now.addAndGet(EncryptionKeys.DAY_MILLIS);

    assertThat(writer.forSubject(SUBJECT).version()).isEqualTo(1);
    assertThat(writer.forSubject(SUBJECT).cipher()).isSameAs(v1.cipher());
    assertThat(leaks.lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("Could not rotate")
                    .contains("version 5, asked 2")
                    .contains("Refused the DEK store's answer"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -3})
  void rotateNowGivenALatestVersionBelowOne_isRefusedAndCreatesNothing(int version) {
    EncryptionKeys writer = writer(1);
    writer.forSubject(SUBJECT);
    store.dekAnswers = d -> withVersion(d, version);
    int creates = honest.createDekCalls.get();

    refused(() -> writer.rotateNow(SUBJECT));

    assertThat(honest.createDekCalls).hasValue(creates);
  }

  @Test
  void lostRaceWhoseWinnerIsAnsweredAsSiv_isRefused() {
    honest.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, false));
    byte[] sivWrapped = LOCAL.wrap(keyOf(DekAlgorithm.AES256_SIV));
    honest.beforeCreateDek =
        () -> {
          registerHonestDek(1);
          store.dekAnswers = d -> withAlgorithm(d, DekAlgorithm.AES256_SIV, sivWrapped);
        };

    assertThat(refused(() -> writer(0).forSubject(SUBJECT)))
        .hasMessageContaining("algorithm AES256_SIV, asked AES256_GCM");
    assertThat(unwraps).hasValue(0);
  }

  @Test
  void kekAnsweredUnderAnotherName_isRefused() {
    honest.createKek(new NewKek("kek1", "local-kms", "key1", Map.of(), null, false));
    store.kekAnswers = renamed("other_kek");

    assertThat(refused(() -> writer(0).forSubject(SUBJECT)))
        .hasMessageContaining("KEK 'kek1'")
        .hasMessageContaining("KEK 'other_kek', asked 'kek1'");
  }

  @Test
  void kekCreateAnsweredAsShared_isRefused() {
    store.kekAnswers =
        k ->
            new RegisteredKek(
                k.name(), k.kmsType(), k.kmsKeyId(), k.kmsProps(), k.doc(), true, k.ts(), false);

    assertThat(refused(() -> writer(0).forSubject(SUBJECT)))
        .hasMessageContaining("shared true, asked false");
  }

  // ---- reader ----

  @Test
  void readerGivenASivDek_isRefusedWithoutUnwrapping() {
    registerHonestDek(1);
    byte[] sivWrapped = LOCAL.wrap(keyOf(DekAlgorithm.AES256_SIV));
    store.dekAnswers = d -> withAlgorithm(d, DekAlgorithm.AES256_SIV, sivWrapped);

    assertThat(refused(() -> reader().forVersion(SUBJECT, 1)))
        .hasMessageContaining("algorithm AES256_SIV, asked AES256_GCM");
    assertThat(unwraps).hasValue(0);
  }

  @Test
  void readerGivenAnotherVersionOrSubject_isRefused() {
    registerHonestDek(2);
    store.dekAnswers = d -> withVersion(d, 1);
    assertThat(refused(() -> reader().forVersion(SUBJECT, 2)))
        .hasMessageContaining("version 1, asked 2");

    store.dekAnswers = d -> withSubject(d, "x-value");
    assertThat(refused(() -> reader().forVersion(SUBJECT, 2)))
        .hasMessageContaining("subject 'x-value'");
    assertThat(unwraps).hasValue(0);
  }

  @Test
  void readerAskedForVersionZero_failsAsAMissingDekWithoutAskingTheStore() {
    int calls = honest.calls.get();

    assertThat(leaks.thrown(() -> reader().forVersion(SUBJECT, 0)))
        .isInstanceOf(MissingDekException.class)
        .hasMessageContaining("version 0");
    assertThat(honest.calls).hasValue(calls);
  }

  // ---- re-wrapper ----

  @ParameterizedTest
  @ValueSource(strings = {"0,1", "-3", "1,1", "2,1"})
  void rewrapGivenAVersionListBelowOneOrNotAscending_isRefusedBeforeAnyRewrap(String list) {
    registerHonestDek(1);
    registerHonestDek(2);
    byte[] before = honest.getDek(DEK, 1, true).orElseThrow().encryptedKeyMaterial();
    List<Integer> versions = Arrays.stream(list.split(",")).map(Integer::valueOf).toList();
    store.versionAnswers = v -> versions;

    assertThat(refused(() -> rewrapper().rewrap(SUBJECT, GCM)))
        .hasMessageContaining("the versions of DEK '" + SUBJECT + "'");
    assertThat(unwraps).hasValue(0);
    assertThat(honest.getDek(DEK, 1, true).orElseThrow().encryptedKeyMaterial()).isEqualTo(before);
  }

  @Test
  void rewrapAnsweredWithAnotherVersion_isRefused() {
    registerHonestDek(1);
    store.rewrapAnswers = d -> withVersion(d, 2);

    assertThat(refused(() -> rewrapper().rewrap(SUBJECT, GCM)))
        .hasMessageContaining("re-wrapping DEK '" + SUBJECT + "' version 1")
        .hasMessageContaining("version 2, asked 1");
  }

  private DekRewrapper rewrapper() {
    return new DekRewrapper(store, providers, SETTINGS);
  }

  private static java.util.function.UnaryOperator<RegisteredKek> renamed(String name) {
    return k ->
        new RegisteredKek(
            name, k.kmsType(), k.kmsKeyId(), k.kmsProps(), k.doc(), k.shared(), k.ts(), false);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
