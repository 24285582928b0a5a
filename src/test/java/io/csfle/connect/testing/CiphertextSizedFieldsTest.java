package io.csfle.connect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.crypto.KeyMaterial;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class CiphertextSizedFieldsTest {
  @Test
  void configuredStrings_becomeAsLongAsTheirCiphertextText() {
    FieldCipher cipher =
        FieldCipher.of(
            DekAlgorithm.AES256_GCM, KeyMaterial.serialize(DekAlgorithm.AES256_GCM, new byte[32]));
    CiphertextSizedFields<SourceRecord> transform = new CiphertextSizedFields<>();
    transform.configure(Map.of("fields", "email,ssn"));
    Map<String, Object> value = new HashMap<>();
    value.put("email", "grüße@example.com");
    value.put("ssn", "");
    value.put("id", 7L);
    value.put("name", "kept");
    SourceRecord record = new SourceRecord(null, null, "t", null, value);

    Map<?, ?> out = (Map<?, ?>) transform.apply(record).value();

    for (String field : new String[] {"email", "ssn"}) {
      byte[] plaintext = ((String) value.get(field)).getBytes(StandardCharsets.UTF_8);
      String ciphertextText = Base64.getEncoder().encodeToString(cipher.encrypt(plaintext));
      assertThat((String) out.get(field)).hasSameSizeAs(ciphertextText);
    }
    assertThat(out.get("id")).isEqualTo(7L);
    assertThat(out.get("name")).isEqualTo("kept");
    assertThat(value.get("email")).isEqualTo("grüße@example.com");
  }

  @Test
  void toPlaintext_makesCiphertextTextAsLongAsItsPlaintext() {
    FieldCipher cipher =
        FieldCipher.of(
            DekAlgorithm.AES256_GCM, KeyMaterial.serialize(DekAlgorithm.AES256_GCM, new byte[32]));
    CiphertextSizedFields<SourceRecord> transform = new CiphertextSizedFields<>();
    transform.configure(Map.of("fields", "email", "to", "plaintext"));
    for (String plaintext : new String[] {"", "a", "ab", "abc", "alice@example.com"}) {
      String text =
          Base64.getEncoder()
              .encodeToString(cipher.encrypt(plaintext.getBytes(StandardCharsets.UTF_8)));
      SourceRecord record = new SourceRecord(null, null, "t", null, Map.of("email", text));

      Map<?, ?> out = (Map<?, ?>) transform.apply(record).value();

      assertThat((String) out.get("email")).hasSameSizeAs(plaintext);
    }
  }
}
