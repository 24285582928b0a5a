package io.csfle.connect.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.subtle.AesSiv;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldCipherTest {
  private static final HexFormat HEX = HexFormat.of();

  static byte[] sequentialKey(int size) {
    byte[] key = new byte[size];
    for (int i = 0; i < size; i++) {
      key[i] = (byte) i;
    }
    return key;
  }

  static FieldCipher cipher(DekAlgorithm algorithm) {
    return FieldCipher.of(
        algorithm, KeyMaterial.serialize(algorithm, sequentialKey(algorithm.keySize())));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(DekAlgorithm.class)
  void anyAlgorithm_roundTripsIncludingEmpty(DekAlgorithm algorithm) {
    FieldCipher cipher = cipher(algorithm);
    for (String text : new String[] {"", "alice@example.com", "Grüße, 世界 🔐", "x".repeat(10_000)}) {
      byte[] ct = cipher.encrypt(utf8(text));
      assertThat(cipher.decrypt(ct, 0, ct.length)).isEqualTo(utf8(text));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = DekAlgorithm.class,
      names = {"AES128_GCM", "AES256_GCM"})
  void gcm_isIvCiphertextTagAndDecryptsWithPlainJce(DekAlgorithm algorithm) throws Exception {
    byte[] plaintext = utf8("alice@example.com");
    byte[] ct = cipher(algorithm).encrypt(plaintext);

    assertThat(ct).hasSize(12 + plaintext.length + 16);
    Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
    jce.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(sequentialKey(algorithm.keySize()), "AES"),
        new GCMParameterSpec(128, ct, 0, 12));
    jce.updateAAD(new byte[0]);
    assertThat(jce.doFinal(ct, 12, ct.length - 12)).isEqualTo(plaintext);
  }

  @ParameterizedTest
  @EnumSource(
      value = DekAlgorithm.class,
      names = {"AES128_GCM", "AES256_GCM"})
  void gcm_tinkDecryptsWhatWeWriteAndTheOtherWayRound_withAndWithoutAssociatedData(
      DekAlgorithm algorithm) throws Exception {
    FieldCipher ours = cipher(algorithm);
    AesGcmJce tink = new AesGcmJce(sequentialKey(algorithm.keySize()));
    for (byte[] associatedData : new byte[][] {new byte[0], utf8("header:ssn")}) {
      for (String text : new String[] {"", "alice@example.com", "y".repeat(70_000)}) {
        byte[] written = ours.encrypt(utf8(text), associatedData);
        assertThat(tink.decrypt(written, associatedData)).isEqualTo(utf8(text));

        byte[] byTink = tink.encrypt(utf8(text), associatedData);
        assertThat(ours.decrypt(byTink, 0, byTink.length, associatedData)).isEqualTo(utf8(text));
      }
    }
    byte[] bound = ours.encrypt(utf8("alice"), utf8("header:ssn"));
    assertThatThrownBy(() -> tink.decrypt(bound, utf8("header:email")))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void gcm_usesAFreshIvEachTime() {
    FieldCipher cipher = cipher(DekAlgorithm.AES256_GCM);
    assertThat(cipher.encrypt(utf8("same"))).isNotEqualTo(cipher.encrypt(utf8("same")));
  }

  @Test
  void gcm_ivsStayDistinctAcrossIvBatches_andEachDecrypts() {
    FieldCipher cipher = cipher(DekAlgorithm.AES256_GCM);
    Set<String> ivs = new HashSet<>();
    for (int i = 0; i < 5 * IvSource.BATCH_IVS; i++) {
      byte[] ciphertext = cipher.encrypt(utf8("value " + i));
      assertThat(ivs.add(HEX.formatHex(ciphertext, 0, IvSource.IV_BYTES))).isTrue();
      assertThat(cipher.decrypt(ciphertext, 0, ciphertext.length)).isEqualTo(utf8("value " + i));
    }
  }

  /** Golden vector: written by JCE with a fixed IV, so it pins the layout independently of Tink. */
  @Test
  void gcmGoldenVector_decrypts() {
    byte[] golden =
        HEX.parseHex(
            "000102030405060708090a0b266ebf78a0a5a763ec2ce7e7d4c71b02ee"
                + "b13438bcf297aba04675c1f322b9610e");
    assertThat(
            new String(
                cipher(DekAlgorithm.AES256_GCM).decrypt(golden, 0, golden.length),
                StandardCharsets.UTF_8))
        .isEqualTo("alice@example.com");
  }

  /** Golden vectors for the deterministic algorithm: these bytes may never change. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "alice@example.com=dbf40f7d65912dac543f9fe6152f08fc7d3390a2227c77d9376efec6ae2a9dd432",
        "=6ff5b8ef53fc365606cd3ea047374885",
        "Grüße, 世界=ea9ec287da74ea5095a1cdd4f05d85f14434394562fd037037ef347e062344"
      })
  void sivGoldenVectors_areReproducedByteForByte(String vector) {
    String plaintext = vector.substring(0, vector.lastIndexOf('='));
    String expected = vector.substring(vector.lastIndexOf('=') + 1);

    assertThat(HEX.formatHex(cipher(DekAlgorithm.AES256_SIV).encrypt(utf8(plaintext))))
        .isEqualTo(expected);
  }

  @Test
  void siv_bindsOneEmptyAssociatedDataComponent_notNone() throws Exception {
    AesSiv reference = new AesSiv(sequentialKey(64));
    byte[] plaintext = utf8("alice@example.com");
    byte[] ours = cipher(DekAlgorithm.AES256_SIV).encrypt(plaintext);

    assertThat(ours)
        .isEqualTo(reference.encryptDeterministicallyWithAssociatedDatas(plaintext, new byte[0]));
    assertThat(ours).isNotEqualTo(reference.encryptDeterministicallyWithAssociatedDatas(plaintext));
  }

  @ParameterizedTest
  @EnumSource(DekAlgorithm.class)
  void tamperedCiphertext_failsWithoutDetail(DekAlgorithm algorithm) {
    FieldCipher cipher = cipher(algorithm);
    byte[] ct = cipher.encrypt(utf8("alice@example.com"));
    ct[ct.length / 2] ^= 0x01;

    assertThatThrownBy(() -> cipher.decrypt(ct, 0, ct.length))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("decryption failed")
        .message()
        .doesNotContain("alice");
  }

  @ParameterizedTest
  @EnumSource(DekAlgorithm.class)
  void truncatedCiphertext_fails(DekAlgorithm algorithm) {
    FieldCipher cipher = cipher(algorithm);
    byte[] ct = cipher.encrypt(utf8("alice@example.com"));

    assertThatThrownBy(() -> cipher.decrypt(ct, 0, ct.length - 1))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> cipher.decrypt(ct, 0, 5))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("too short");
  }

  @ParameterizedTest
  @EnumSource(DekAlgorithm.class)
  void wrongKey_fails(DekAlgorithm algorithm) {
    byte[] ct = cipher(algorithm).encrypt(utf8("alice@example.com"));
    FieldCipher other = FieldCipher.of(algorithm, KeyMaterial.generate(algorithm));

    assertThatThrownBy(() -> other.decrypt(ct, 0, ct.length)).isInstanceOf(CryptoException.class);
  }

  @Test
  void offsetDecrypt_readsOnlyTheSlice() {
    FieldCipher cipher = cipher(DekAlgorithm.AES256_GCM);
    byte[] ct = cipher.encrypt(utf8("abc"));
    byte[] framed = CiphertextFrame.withVersion(7, ct);

    assertThat(cipher.decrypt(framed, CiphertextFrame.PREFIX_LENGTH, ct.length))
        .isEqualTo(utf8("abc"));
  }

  @ParameterizedTest
  @EnumSource(DekAlgorithm.class)
  void twoKeysAlternatingOnOneThread_eachDecryptsItsOwn(DekAlgorithm algorithm) {
    FieldCipher first = FieldCipher.of(algorithm, KeyMaterial.generate(algorithm));
    FieldCipher second = FieldCipher.of(algorithm, KeyMaterial.generate(algorithm));

    for (int i = 0; i < 50; i++) {
      byte[] a = first.encrypt(utf8("a" + i));
      byte[] b = second.encrypt(utf8("b" + i));
      assertThat(first.decrypt(a, 0, a.length)).isEqualTo(utf8("a" + i));
      assertThat(second.decrypt(b, 0, b.length)).isEqualTo(utf8("b" + i));
      assertThatThrownBy(() -> first.decrypt(b, 0, b.length)).isInstanceOf(CryptoException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(DekAlgorithm.class)
  void manyThreadsSharingOneCipher_allDecrypt(DekAlgorithm algorithm) throws Exception {
    FieldCipher cipher = cipher(algorithm);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    byte[] plain = utf8(thread + ":" + i);
                    byte[] ct = cipher.encrypt(plain);
                    if (!Arrays.equals(cipher.decrypt(ct, 0, ct.length), plain)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
