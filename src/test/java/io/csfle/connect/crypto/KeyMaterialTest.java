package io.csfle.connect.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class KeyMaterialTest {

  @ParameterizedTest
  @CsvSource({"AES128_GCM,1a10,18", "AES256_GCM,1a20,34", "AES256_SIV,1240,66"})
  void serialize_writesTinkKeyProtoBytes(DekAlgorithm algorithm, String header, int length) {
    byte[] raw = FieldCipherTest.sequentialKey(algorithm.keySize());
    byte[] proto = KeyMaterial.serialize(algorithm, raw);

    assertThat(proto).hasSize(length);
    assertThat(HexFormat.of().formatHex(proto, 0, 2)).isEqualTo(header);
    assertThat(KeyMaterial.rawKey(algorithm, proto)).isEqualTo(raw);
  }

  @ParameterizedTest
  @EnumSource(DekAlgorithm.class)
  void generate_givesAValidProtoOfTheRightSize(DekAlgorithm algorithm) {
    byte[] proto = KeyMaterial.generate(algorithm);
    assertThat(KeyMaterial.rawKey(algorithm, proto)).hasSize(algorithm.keySize());
    assertThat(KeyMaterial.generate(algorithm)).isNotEqualTo(proto);
  }

  @Test
  void explicitVersionField_isAccepted() {
    byte[] proto = HexFormat.of().parseHex("08001a10" + "00".repeat(16));
    assertThat(KeyMaterial.rawKey(DekAlgorithm.AES128_GCM, proto)).hasSize(16);
  }

  @Test
  void protoOfAnotherAlgorithm_isRejected() {
    byte[] gcm = KeyMaterial.generate(DekAlgorithm.AES256_GCM);
    assertThatThrownBy(() -> KeyMaterial.rawKey(DekAlgorithm.AES128_GCM, gcm))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("AES128_GCM");
    assertThatThrownBy(() -> KeyMaterial.rawKey(DekAlgorithm.AES256_SIV, gcm))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void wrongKeyLength_isRejected() {
    assertThatThrownBy(() -> KeyMaterial.serialize(DekAlgorithm.AES256_GCM, new byte[16]))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void algorithmNames_parseCaseInsensitivelyAndDefaultToAes256Gcm() {
    assertThat(DekAlgorithm.parse("aes256_siv")).isEqualTo(DekAlgorithm.AES256_SIV);
    assertThat(DekAlgorithm.parse(null)).isEqualTo(DekAlgorithm.AES256_GCM);
    assertThatThrownBy(() -> DekAlgorithm.parse("DES"))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("AES256_GCM");
  }
}
