package io.csfle.connect.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The checks every KMS answer passes before it is trusted. */
class KekAnswersTest {
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "42".repeat(32));

  @Test
  void realCiphertext_isAccepted() {
    byte[] wrapped = new byte[DEK.length + 28];
    assertThat(KekAnswers.checkWrapped("kms wrap", DEK, wrapped)).isSameAs(wrapped);
  }

  @Test
  void ciphertextHoldingTheKeyRaw_isRefused() {
    byte[] wrapped = new byte[DEK.length + 8];
    System.arraycopy(DEK, 0, wrapped, 4, DEK.length);
    assertRefused(wrapped);
  }

  @Test
  void textCiphertextHoldingTheKeyInBase64OrHex_isRefused() {
    assertRefused(ascii("vault:v1:" + Base64.getEncoder().encodeToString(DEK)));
    assertRefused(ascii("x:" + Base64.getUrlEncoder().withoutPadding().encodeToString(DEK)));
    assertRefused(ascii("x:" + HexFormat.of().formatHex(DEK)));
  }

  @Test
  void shortOrMissingCiphertext_isRefused() {
    assertRefused(new byte[DEK.length]);
    assertRefused(null);
  }

  @Test
  void unwrappedKeyEmptyOrOversized_isRefused() {
    assertThatThrownBy(() -> KekAnswers.checkUnwrapped("kms unwrap", new byte[0]))
        .isInstanceOf(KmsException.class);
    assertThatThrownBy(
            () ->
                KekAnswers.checkUnwrapped("kms unwrap", new byte[KekAnswers.MAX_KEY_MATERIAL + 1]))
        .isInstanceOf(KmsException.class);
    assertThat(KekAnswers.checkUnwrapped("kms unwrap", DEK)).isSameAs(DEK);
  }

  private static void assertRefused(byte[] wrapped) {
    assertThatThrownBy(() -> KekAnswers.checkWrapped("kms wrap", DEK, wrapped))
        .isInstanceOf(KmsException.class)
        .satisfies(
            e ->
                assertThat(((KmsException) e).reason())
                    .isEqualTo(KmsException.Reason.MISCONFIGURED))
        .hasMessageNotContaining(Base64.getEncoder().encodeToString(DEK));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
