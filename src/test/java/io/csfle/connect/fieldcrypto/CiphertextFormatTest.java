package io.csfle.connect.fieldcrypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
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
}
