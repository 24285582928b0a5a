package io.csfle.connect.adversarial;

import static io.csfle.connect.adversarial.AdversarialKit.schemalessValue;
import static io.csfle.connect.adversarial.AdversarialKit.sink;
import static io.csfle.connect.adversarial.AdversarialKit.source;
import static io.csfle.connect.adversarial.KnownDeks.OFFSET;
import static io.csfle.connect.adversarial.KnownDeks.PARTITION;
import static io.csfle.connect.adversarial.KnownDeks.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.adversarial.KnownDeks.CryptoMode;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, item 3: records whose parts disagree (schema and value, key and value, a Struct and the
 * schema declared for it), and headers. Whatever the disagreement, the outcome is a DataException
 * naming the field, or a correctly encrypted record: never a record that carries a plaintext where
 * the configuration asked for ciphertext.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DisagreeingRecordAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String EMAIL = "PLAINTEXT-MARKER-40@example.com";
  private static final String SSN = "PLAINTEXT-MARKER-41";
  private static final CryptoMode MODE = CryptoMode.GCM;
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("Row")
          .field("id", Schema.INT64_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .build();

  @RegisterExtension static final AdversarialKit kit = new AdversarialKit(leaks, MODE);

  @BeforeAll
  static void watchPlaintexts() {
    leaks.plaintext(EMAIL).plaintext(SSN);
  }

  @Test
  void schemaSaysStructButValueIsAMap_isRefusedWithoutPlaintext() {
    Map<String, Object> value = schemalessValue("id", 1L, "email", EMAIL);
    assertRefusedWithoutPlaintext(encryptor(), source(ROW, value), "email");
  }

  @Test
  void schemaSaysStringButValueIsAStruct_isRefusedWithoutPlaintext() {
    Struct value = new Struct(ROW).put("id", 1L).put("email", EMAIL);
    assertRefusedWithoutPlaintext(encryptor(), source(Schema.STRING_SCHEMA, value), "email");
  }

  @Test
  void keyAndValueSchemasSwapped_isRefusedWithoutPlaintext() {
    Struct value = new Struct(ROW).put("id", 1L).put("email", EMAIL);
    SourceRecord swapped =
        new SourceRecord(null, null, TOPIC, 0, Schema.STRING_SCHEMA, value, ROW, "key-1");
    assertRefusedWithoutPlaintext(encryptor(), swapped, "email");
  }

  @Test
  void decryptingAMapUnderAStructSchema_isRefused() {
    Schema declared =
        SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("email", Schema.STRING_SCHEMA)
            .build();
    Map<String, Object> value = schemalessValue("id", 1L, "email", 42);
    assertRefusedWithoutPlaintext(decryptor(), sink(declared, value), "email");
  }

  /**
   * The declared schema has {@code email} first; the Struct's own schema has the fields the other
   * way round and a plaintext {@code ssn} more. Copying by position would put plaintext where
   * ciphertext belongs.
   */
  @Test
  void structWhoseSchemaDiffersFromTheDeclaredOne_isRefusedWithoutPlaintext() {
    Schema other =
        SchemaBuilder.struct()
            .name("Row")
            .field("email", Schema.STRING_SCHEMA)
            .field("id", Schema.INT64_SCHEMA)
            .field("ssn", Schema.STRING_SCHEMA)
            .build();
    Struct value = new Struct(other).put("email", EMAIL).put("id", 1L).put("ssn", SSN);
    assertRefusedWithoutPlaintext(encryptor(), source(ROW, value), "email");
  }

  /** The same disagreement, with a Struct of the same field names in another order. */
  @Test
  void structWithTheDeclaredFieldsInAnotherOrder_isRefusedOrEncryptedByName() {
    Schema reordered =
        SchemaBuilder.struct()
            .name("Row")
            .field("email", Schema.STRING_SCHEMA)
            .field("id", Schema.INT64_SCHEMA)
            .build();
    Struct value = new Struct(reordered).put("email", EMAIL).put("id", 1L);
    assertRefusedWithoutPlaintext(encryptor(), source(ROW, value), "email");
  }

  @Test
  void schemalessRecordHoldingAStruct_isEncryptedOrRefusedWithoutPlaintext() {
    Struct value = new Struct(ROW).put("id", 1L).put("email", EMAIL);
    SourceRecord record = source(null, value);
    try {
      SourceRecord out = encryptor().apply(record);
      assertThat(String.valueOf(out.value())).doesNotContain(EMAIL);
    } catch (DataException e) {
      leaks.exception(e);
      assertThat(e.getMessage()).contains("topic '" + TOPIC + "'").doesNotContain(EMAIL);
      Verdicts.assertNoForeignCause(e, "schemaless Struct");
    }
  }

  @Test
  void headers_areLeftAloneAndDoNotConfuseTheFields() {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("email", "header-value");
    headers.addBytes("id", "not a ciphertext".getBytes(StandardCharsets.UTF_8));
    Struct value = new Struct(ROW).put("id", 1L).put("email", EMAIL);
    SourceRecord record =
        new SourceRecord(null, null, TOPIC, 0, null, null, ROW, value, null, headers);

    SourceRecord encrypted = encryptor().apply(record);
    SinkRecord sink =
        new SinkRecord(
            TOPIC,
            PARTITION,
            null,
            null,
            encrypted.valueSchema(),
            encrypted.value(),
            OFFSET,
            null,
            null,
            encrypted.headers());
    SinkRecord decrypted = decryptor().apply(sink);

    assertThat(((Struct) encrypted.value()).getString("email")).isNotEqualTo(EMAIL);
    assertThat(encrypted.headers()).isEqualTo(headers);
    assertThat(((Struct) decrypted.value()).getString("email")).isEqualTo(EMAIL);
    assertThat(decrypted.headers()).isEqualTo(headers);
  }

  /** Refused with a DataException naming the field, and nothing of the plaintext anywhere. */
  private static <R extends ConnectRecord<R>> void assertRefusedWithoutPlaintext(
      Transformation<R> transform, R record, String field) {
    R out;
    try {
      out = transform.apply(record);
    } catch (DataException e) {
      leaks.exception(e);
      assertThat(e.getMessage())
          .contains("topic '" + TOPIC + "'")
          // A field failure says "field 'email'"; a record the walker cannot enter at all names
          // the configured paths, "fields [email]".
          .containsAnyOf("field '" + field + "'", "fields [" + field + "]")
          .doesNotContain(EMAIL)
          .doesNotContain(SSN);
      Verdicts.assertNoForeignCause(e, field);
      return;
    } catch (RuntimeException e) {
      leaks.exception(e);
      throw new AssertionError("expected a DataException, got " + e.getClass().getName(), e);
    }
    throw new AssertionError(
        "expected a DataException; the output "
            + (String.valueOf(out.value()).contains(EMAIL)
                    || String.valueOf(out.value()).contains(SSN)
                ? "CARRIES PLAINTEXT"
                : "was " + Verdicts.shape(out.value())));
  }

  private EncryptField<SourceRecord> encryptor() {
    return kit.encryptor(kit.config(MODE, "email"));
  }

  private DecryptField<SinkRecord> decryptor() {
    return kit.decryptor(kit.config(MODE, "email"));
  }
}
