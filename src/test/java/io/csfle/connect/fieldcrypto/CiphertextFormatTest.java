package io.csfle.connect.fieldcrypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.field.FieldPath;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CiphertextFormatTest {
  private final Random random = new Random(17);

  @Test
  void base64_everyLength_isTheStandardPaddedEncoding() {
    // Short, growing and shrinking again, so that the scratch array is reused at every size.
    for (int length : new int[] {0, 1, 2, 3, 28, 29, 30, 200, 1052, 5000, 4, 100_000, 7, 49_149}) {
      byte[] ciphertext = new byte[length];
      random.nextBytes(ciphertext);

      assertThat(CiphertextFormat.base64(ciphertext))
          .as("length %d", length)
          .isEqualTo(Base64.getEncoder().encodeToString(ciphertext));
    }
  }

  @Test
  void base64_aroundTheScratchLimit_isTheStandardPaddedEncoding() {
    int limitInBytes = CiphertextFormat.MAX_SCRATCH_BYTES / 4 * 3;
    for (int length = limitInBytes - 3; length <= limitInBytes + 3; length++) {
      byte[] ciphertext = new byte[length];
      random.nextBytes(ciphertext);

      assertThat(CiphertextFormat.base64(ciphertext))
          .as("length %d", length)
          .isEqualTo(Base64.getEncoder().encodeToString(ciphertext));
    }
  }

  @Test
  void base64_earlierResult_isNotChangedByALaterEncoding() {
    byte[] first = new byte[90];
    random.nextBytes(first);
    String firstText = CiphertextFormat.base64(first);
    byte[] second = new byte[90];
    random.nextBytes(second);

    CiphertextFormat.base64(second);

    assertThat(firstText).isEqualTo(Base64.getEncoder().encodeToString(first));
  }

  private final FieldCipher cipher =
      FieldCipher.of(DekAlgorithm.AES256_GCM, KeyMaterial.generate(DekAlgorithm.AES256_GCM));
  private final FieldPath path = FieldPath.parse("ssn");

  @Test
  void decryptField_base64OfEveryLength_givesThePlaintextBack() {
    CiphertextFormat format = new CiphertextFormat(false);
    // Large past the scratch limit, then small again: both paths, and the scratch reused.
    for (int length : new int[] {0, 1, 30, 1024, 5000, 60_000, 3, 200}) {
      byte[] plaintext = new byte[length];
      random.nextBytes(plaintext);
      String stored = CiphertextFormat.base64(cipher.encrypt(plaintext));

      assertThat(format.decryptField(path, stored, version -> cipher))
          .as("length %d", length)
          .isEqualTo(plaintext);
    }
  }

  @Test
  void decryptField_rotating_readsTheVersionAndSkipsTheFrame() {
    CiphertextFormat format = new CiphertextFormat(true);
    byte[] plaintext = {1, 2, 3};
    String stored =
        CiphertextFormat.base64(CiphertextFrame.withVersion(7, cipher.encrypt(plaintext)));
    List<Integer> asked = new ArrayList<>();

    byte[] decrypted =
        format.decryptField(
            path,
            stored,
            version -> {
              asked.add(version);
              return cipher;
            });

    assertThat(decrypted).isEqualTo(plaintext);
    assertThat(asked).containsExactly(7);
  }

  @Test
  void decryptField_bytes_areDecryptedAsTheyAre() {
    CiphertextFormat format = new CiphertextFormat(false);
    byte[] plaintext = {9, 8, 7};

    assertThat(format.decryptField(path, cipher.encrypt(plaintext), version -> cipher))
        .isEqualTo(plaintext);
  }

  @Test
  void decryptField_notBase64_failsWithoutAskingForAKey() {
    CiphertextFormat format = new CiphertextFormat(false);

    assertThatThrownBy(
            () ->
                format.decryptField(
                    path,
                    "not base64!",
                    version -> {
                      throw new AssertionError("no key should be needed");
                    }))
        .isInstanceOf(FieldCryptoException.class)
        .hasMessageContaining("not standard base64");
  }

  @Test
  void decryptField_rotatingWithoutFrame_failsOnTheFrame() {
    CiphertextFormat format = new CiphertextFormat(true);
    String stored = CiphertextFormat.base64(new byte[] {1, 2});

    assertThatThrownBy(() -> format.decryptField(path, stored, version -> cipher))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void decryptField_alteredCiphertext_failsAuthentication() {
    CiphertextFormat format = new CiphertextFormat(false);
    byte[] ciphertext = cipher.encrypt(new byte[] {4, 5, 6});
    ciphertext[ciphertext.length - 1] ^= 1;
    String stored = CiphertextFormat.base64(ciphertext);

    assertThatThrownBy(() -> format.decryptField(path, stored, version -> cipher))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("decryption failed");
  }
}
