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
import java.util.stream.Stream;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  /** Source records whose parts disagree, named by what disagrees. */
  static Stream<Arguments> disagreeingSourceRecords() {
    return Stream.of(
        Arguments.of(
            "schema says Struct, value is a Map",
            source(ROW, schemalessValue("id", 1L, "email", EMAIL))),
        Arguments.of(
            "schema says STRING, value is a Struct",
            source(Schema.STRING_SCHEMA, new Struct(ROW).put("id", 1L).put("email", EMAIL))),
        Arguments.of(
            "key and value schemas swapped",
            new SourceRecord(
                null,
                null,
                TOPIC,
                0,
                Schema.STRING_SCHEMA,
                new Struct(ROW).put("id", 1L).put("email", EMAIL),
                ROW,
                "key-1")),
        // The declared schema has email first; the Struct's own schema has the fields the other way
        // round and a plaintext ssn more. Copying by position would put plaintext where ciphertext
        // belongs.
        Arguments.of(
            "a Struct of another schema than declared",
            source(
                ROW,
                new Struct(emailFirst("ssn")).put("email", EMAIL).put("id", 1L).put("ssn", SSN))),
        // The same disagreement, with a Struct of the same field names in another order.
        Arguments.of(
            "a Struct of the declared fields in another order",
            source(ROW, new Struct(emailFirst()).put("email", EMAIL).put("id", 1L))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("disagreeingSourceRecords")
  void sourceRecordWhosePartsDisagree_isRefusedWithoutPlaintext(
      String disagreement, SourceRecord record) {
    assertRefusedWithoutPlaintext(encryptor(), record, "email");
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

  /** ROW's fields the other way round (email first), and more STRING fields. */
  private static Schema emailFirst(String... more) {
    SchemaBuilder schema =
        SchemaBuilder.struct()
            .name("Row")
            .field("email", Schema.STRING_SCHEMA)
            .field("id", Schema.INT64_SCHEMA);
    for (String name : more) {
      schema.field(name, Schema.STRING_SCHEMA);
    }
    return schema.build();
  }

  private EncryptField<SourceRecord> encryptor() {
    return kit.encryptor(kit.config(MODE, "email"));
  }

  private DecryptField<SinkRecord> decryptor() {
    return kit.decryptor(kit.config(MODE, "email"));
  }
}
