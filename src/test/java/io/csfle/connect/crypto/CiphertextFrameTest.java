package io.csfle.connect.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CiphertextFrameTest {

  @Test
  void withVersion_prefixesMagicAndBigEndianVersion() {
    byte[] framed = CiphertextFrame.withVersion(0x01020304, new byte[] {9, 9});
    assertThat(HexFormat.of().formatHex(framed)).isEqualTo("00010203040909");
    assertThat(CiphertextFrame.version(framed)).isEqualTo(0x01020304);
  }

  @Test
  void wrongMagicByte_isRejected() {
    assertThatThrownBy(() -> CiphertextFrame.version(new byte[] {1, 0, 0, 0, 1, 5}))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("prefix");
  }

  @Test
  void tooShort_isRejected() {
    assertThatThrownBy(() -> CiphertextFrame.version(new byte[] {0, 0}))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void versionZero_isRejected() {
    assertThatThrownBy(() -> CiphertextFrame.version(new byte[] {0, 0, 0, 0, 0, 7}))
        .isInstanceOf(CryptoException.class);
  }
}
