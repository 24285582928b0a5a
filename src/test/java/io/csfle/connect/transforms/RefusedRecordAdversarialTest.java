package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testing.LeakWatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records the transform must refuse: a Struct that is not of the record's declared schema (the
 * walker would otherwise plan on one and read the other by position, emitting plaintext), and
 * values with nothing to encrypt. A refused record yields no output and, having nothing to encrypt,
 * creates no DEK and makes no registry request.
 */
class RefusedRecordAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String F1_PLAINTEXT = "f1-plaintext-4111-1111";
  private static final String NOTE_PLAINTEXT = "note-plaintext-leave-at-door";

  private static final Schema DECLARED = row("f1", "note");
  private static final Schema SWAPPED = row("note", "f1");

  /** A struct schema named Row of two optional strings, in this order. */
  private static Schema row(String first, String second) {
    return SchemaBuilder.struct()
        .name("Row")
        .field(first, Schema.OPTIONAL_STRING_SCHEMA)
        .field(second, Schema.OPTIONAL_STRING_SCHEMA)
        .build();
  }

  private InMemoryDekRegistryServer registry;
  private final List<Transformation<?>> opened = new ArrayList<>();

  @BeforeEach
  void startRegistry() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
    leaks.plaintext(F1_PLAINTEXT).plaintext(NOTE_PLAINTEXT);
  }

  @AfterEach
  void stop() {
    opened.forEach(Transformation::close);
    registry.close();
  }

  private EncryptField<SourceRecord> encryptor(String fields) {
    EncryptField<SourceRecord> t = TransformFixtures.encryptValue(config(registry, fields));
    opened.add(t);
    return t;
  }

  private static SourceRecord record(Schema schema, Object value) {
    return new SourceRecord(Map.of(), Map.of(), "rows", 1, null, null, schema, value);
  }

  @Test
  void structOfAnotherSchemaThanDeclared_failsNamingTheFieldAndEmitsNothing() {
    EncryptField<SourceRecord> encrypt = encryptor("note");
    Struct swapped = new Struct(SWAPPED).put("note", NOTE_PLAINTEXT).put("f1", F1_PLAINTEXT);

    Throwable thrown = leaks.thrown(() -> encrypt.apply(record(DECLARED, swapped)));

    assertThat(thrown)
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 'rows'")
        .hasMessageContaining("partition 1")
        .hasMessageContaining("field 'note'");
  }

  @Test
  void structOfAnEqualSchemaInstance_isEncrypted() {
    EncryptField<SourceRecord> encrypt = encryptor("note");
    Schema equalCopy = row("f1", "note");
    Struct value = new Struct(equalCopy).put("f1", "kept").put("note", NOTE_PLAINTEXT);

    Struct out = (Struct) encrypt.apply(record(DECLARED, value)).value();

    assertThat(out.getString("f1")).isEqualTo("kept");
    assertThat(out.getString("note")).isNotEqualTo(NOTE_PLAINTEXT).isNotBlank();
  }

  @Test
  void valueWithNothingToEncrypt_createsNoDekAndMakesNoRegistryRequest() {
    EncryptField<SourceRecord> encrypt = encryptor("note");
    registry.clearRequests();

    Throwable bytes =
        leaks.thrown(
            () ->
                encrypt.apply(
                    record(Schema.BYTES_SCHEMA, NOTE_PLAINTEXT.getBytes(StandardCharsets.UTF_8))));
    Throwable text =
        leaks.thrown(() -> encrypt.apply(record(Schema.STRING_SCHEMA, NOTE_PLAINTEXT)));
    Throwable schemaless = leaks.thrown(() -> encrypt.apply(record(null, NOTE_PLAINTEXT)));
    Schema lacking = SchemaBuilder.struct().field("other", Schema.STRING_SCHEMA).build();
    Throwable missingField =
        leaks.thrown(() -> encrypt.apply(record(lacking, new Struct(lacking).put("other", "x"))));
    Throwable mismatch =
        leaks.thrown(() -> encrypt.apply(record(DECLARED, new Struct(SWAPPED).put("note", "n"))));

    assertThat(List.of(bytes, text, schemaless, missingField, mismatch))
        .allSatisfy(e -> assertThat(e).isInstanceOf(DataException.class));
    assertThat(registry.requestCount()).isZero();
  }

  @Test
  void recordWhoseConfiguredFieldIsNull_createsNoDek() {
    EncryptField<SourceRecord> encrypt = encryptor("note");
    registry.clearRequests();
    Struct value = new Struct(DECLARED).put("f1", "x");

    SourceRecord out = encrypt.apply(record(DECLARED, value));

    assertThat(out.value()).isEqualTo(value);
    assertThat(registry.requestCount()).isZero();
  }
}
