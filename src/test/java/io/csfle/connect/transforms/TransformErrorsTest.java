package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.decryptValue;
import static io.csfle.connect.transforms.TransformFixtures.encryptValue;
import static io.csfle.connect.transforms.TransformFixtures.sourceRecord;
import static io.csfle.connect.transforms.TransformFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testkit.TestRecords;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransformErrorsTest {
  private static final String PLAINTEXT = "alice@example.com";

  private InMemoryDekRegistryServer registry;
  private final List<Transformation<?>> opened = new ArrayList<>();

  @BeforeEach
  void startRegistry() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  }

  @AfterEach
  void stop() {
    opened.forEach(Transformation::close);
    registry.close();
  }

  private EncryptField<SourceRecord> encryptor(Map<String, String> config) {
    EncryptField<SourceRecord> t = encryptValue(config);
    opened.add(t);
    return t;
  }

  private DecryptField<SinkRecord> decryptor(Map<String, String> config) {
    DecryptField<SinkRecord> t = decryptValue(config);
    opened.add(t);
    return t;
  }

  private SourceRecord encrypted(Map<String, String> config) {
    return encryptor(config)
        .apply(sourceRecord(TransformFixtures.VALUE, value(1, PLAINTEXT, null)));
  }

  /** The encrypted record with its email field replaced. */
  private static SinkRecord withEmail(SourceRecord encrypted, String email) {
    return withField(encrypted, "email", email);
  }

  /** The encrypted record with one field replaced. */
  private static SinkRecord withField(SourceRecord encrypted, String field, Object replacement) {
    Struct changed = TestRecords.withField((Struct) encrypted.value(), field, replacement);
    return asSinkRecord(TestRecords.source(encrypted.topic(), encrypted.valueSchema(), changed));
  }

  @Test
  void decryptingAFieldThatCannotHoldCiphertext_isADataExceptionNamingFieldAndRecord() {
    SourceRecord plain = sourceRecord(TransformFixtures.VALUE, value(1, PLAINTEXT, null));
    assertThatThrownBy(() -> decryptor(config(registry, "id")).apply(asSinkRecord(plain)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 'customers'")
        .hasMessageContaining("partition 2, offset 42")
        .hasMessageContaining("field 'id'")
        .hasMessageContaining("INT64");
  }

  @Test
  void pathMissingFromSchema_failsByDefault() {
    assertThatThrownBy(() -> encrypted(config(registry, "emial")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("emial");
  }

  @Test
  void pathMissingFromSchema_isSkippedWhenConfigured() {
    Map<String, String> config = config(registry, "emial");
    config.put("missing.field.behavior", "skip");
    assertThat(((Struct) encrypted(config).value()).getString("email")).isEqualTo(PLAINTEXT);
  }

  @Test
  void pathThroughANonContainer_isADataException() {
    assertThatThrownBy(() -> encrypted(config(registry, "email.domain")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("email.domain");
  }

  @Test
  void tamperedCiphertext_isADataExceptionWithCoordinatesAndNoPlaintext() {
    Map<String, String> config = config(registry, "email");
    SourceRecord encrypted = encrypted(config);
    byte[] raw = Base64.getDecoder().decode(((Struct) encrypted.value()).getString("email"));
    raw[raw.length - 1] ^= 1;
    SinkRecord tampered = withEmail(encrypted, Base64.getEncoder().encodeToString(raw));

    assertThatThrownBy(() -> decryptor(config).apply(tampered))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 'customers', partition 2, offset 42, field 'email'")
        .hasMessageContaining("decryption failed")
        .message()
        .doesNotContain(PLAINTEXT);
  }

  @Test
  void passThroughOnFailure_keepsTheCiphertext() {
    Map<String, String> config = config(registry, "email");
    SinkRecord notCiphertext = withEmail(encrypted(config), "not base64 at all!");
    config.put("decrypt.on.failure", "passthrough");

    SinkRecord out = decryptor(config).apply(notCiphertext);

    assertThat(((Struct) out.value()).getString("email")).isEqualTo("not base64 at all!");
  }

  @Test
  void passThroughOnFailure_ofATypedField_passesTheWholeRecordUnchanged() {
    Map<String, String> config = config(registry, "id,email");
    SourceRecord encrypted = encrypted(config);
    String encryptedId = ((Struct) encrypted.value()).getString("id");
    byte[] raw = Base64.getDecoder().decode(encryptedId);
    raw[raw.length - 1] ^= 1;
    SinkRecord tampered = withField(encrypted, "id", Base64.getEncoder().encodeToString(raw));
    assertThatThrownBy(() -> decryptor(config).apply(tampered))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("field 'id'");
    config.put("decrypt.on.failure", "passthrough");
    DecryptField<SinkRecord> decrypt = decryptor(config);

    SinkRecord out = decrypt.apply(tampered);

    // The restored INT64 schema cannot hold the ciphertext: every field stays as it was written.
    assertThat(out).isSameAs(tampered);
    assertThat(((Struct) out.value()).getString("email"))
        .isEqualTo(((Struct) encrypted.value()).getString("email"))
        .isNotEqualTo(PLAINTEXT);
    assertThat(decrypt.metrics.passedThrough()).isEqualTo(1);
    assertThat(((Struct) decrypt.apply(asSinkRecord(encrypted)).value()).getInt64("id"))
        .isEqualTo(1L);
  }

  @Test
  void passThroughOnFailure_ofASecondArrayElement_passesTheRecordAndDecryptsNoMore() {
    Schema scoresRow =
        SchemaBuilder.struct()
            .field("scores", SchemaBuilder.array(Schema.INT32_SCHEMA).build())
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Map<String, String> config = config(registry, "scores[*],note");
    Struct plain = new Struct(scoresRow).put("scores", List.of(1, 2, 3)).put("note", "hi");
    Struct encrypted = (Struct) encryptor(config).apply(sourceRecord(scoresRow, plain)).value();
    List<Object> scores = new ArrayList<>(encrypted.getArray("scores"));
    byte[] raw = Base64.getDecoder().decode((String) scores.get(1));
    raw[raw.length - 1] ^= 1;
    scores.set(1, Base64.getEncoder().encodeToString(raw));
    SinkRecord tampered =
        withField(TestRecords.source("customers", encrypted.schema(), encrypted), "scores", scores);
    config.put("decrypt.on.failure", "passthrough");
    DecryptField<SinkRecord> decrypt = decryptor(config);

    SinkRecord out = decrypt.apply(tampered);

    // Element 0 was decrypted into the restored ARRAY<INT32> before element 1 failed: the walk
    // stops there and the record comes back as it came, note still encrypted.
    assertThat(out).isSameAs(tampered);
    assertThat(((Struct) out.value()).getArray("scores")).isSameAs(scores);
    assertThat(((Struct) out.value()).getString("note")).isEqualTo(encrypted.getString("note"));
    assertThat(decrypt.metrics.passedThrough()).isEqualTo(1);
    assertThat(decrypt.metrics.records()).isZero();
    assertThat(decrypt.metrics.failures()).isZero();
  }

  @Test
  void badBase64_isADataException() {
    Map<String, String> config = config(registry, "email");
    SinkRecord bad = withEmail(encrypted(config), "%%%");
    assertThatThrownBy(() -> decryptor(config).apply(bad))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("base64");
  }

  @Test
  void readerInRotationModeOnUnprefixedData_isADataException() {
    Map<String, String> config = config(registry, "email");
    SourceRecord encrypted = encrypted(config);
    Map<String, String> rotating = config(registry, "email");
    rotating.put("encrypt.dek.expiry.days", "7");

    // A random GCM IV starts with 0x00 one time in 256; then the version check catches it.
    assertThatThrownBy(() -> decryptor(rotating).apply(asSinkRecord(encrypted)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("field 'email'");
  }

  @Test
  void ciphertextNamingAnUnknownDekVersion_isADataException() {
    Map<String, String> config = config(registry, "email");
    config.put("encrypt.dek.expiry.days", "7");
    SourceRecord encrypted = encrypted(config);
    byte[] raw = Base64.getDecoder().decode(((Struct) encrypted.value()).getString("email"));
    raw[4] = 9;

    SinkRecord unknown = withEmail(encrypted, Base64.getEncoder().encodeToString(raw));
    assertThatThrownBy(() -> decryptor(config).apply(unknown))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("version 9");
  }

  @Test
  void registryDown_isRetriable() {
    Map<String, String> config = config(registry, "email");
    registry.close();
    assertThatThrownBy(() -> encrypted(config)).isInstanceOf(RetriableException.class);
  }

  @Test
  void registryThrottling_isRetriedThenSucceeds() {
    registry.failNext(1, 429);
    assertThat(((Struct) encrypted(config(registry, "email")).value()).getString("email"))
        .isNotEqualTo(PLAINTEXT);
  }

  @Test
  void registryDeniesAccess_isANonRetriableErrorSayingWhatToCheck() {
    registry.requireBasicAuth("user", "right");
    Map<String, String> config = config(registry, "email");
    config.put("basic.auth.credentials.source", "USER_INFO");
    config.put("basic.auth.user.info", "user:wrong");

    assertThatThrownBy(() -> encrypted(config))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("basic.auth.user.info")
        .message()
        .doesNotContain("wrong");
  }

  @Test
  void kekRegisteredWithAnotherKey_isANonRetriableErrorNamingBoth() {
    encrypted(config(registry, "email"));
    Map<String, String> other = config(registry, "email");
    other.put("encrypt.kms.key.id", "other-key");

    assertThatThrownBy(() -> encrypted(other))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .isNotInstanceOf(DataException.class)
        .hasMessageContaining("local-kms://test-key")
        .hasMessageContaining("local-kms://other-key");
  }

  @Test
  void wrongLocalSecret_isANonRetriableKmsError() {
    Map<String, String> config = config(registry, "email");
    SourceRecord encrypted = encrypted(config);
    Map<String, String> wrong = config(registry, "email");
    wrong.put("kms.secret", "not-the-secret");

    assertThatThrownBy(() -> decryptor(wrong).apply(asSinkRecord(encrypted)))
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("local-kms")
        .message()
        .doesNotContain("not-the-secret");
  }

  /** The encrypted record, with the schema parameter of its typed {@code id} field replaced. */
  private SinkRecord withIdSchemaParameter(SourceRecord encrypted, String json) {
    Struct value = (Struct) encrypted.value();
    org.apache.kafka.connect.data.SchemaBuilder builder =
        org.apache.kafka.connect.data.SchemaBuilder.struct().name(value.schema().name());
    for (org.apache.kafka.connect.data.Field f : value.schema().fields()) {
      builder.field(
          f.name(),
          f.name().equals("id")
              ? org.apache.kafka.connect.data.SchemaBuilder.string()
                  .parameter(io.csfle.connect.codec.SchemaCodec.PARAMETER, json)
                  .build()
              : f.schema());
    }
    org.apache.kafka.connect.data.Schema schema = builder.build();
    Struct changed = new Struct(schema);
    schema.fields().forEach(f -> changed.put(f, value.get(f.name())));
    return asSinkRecord(TestRecords.source(encrypted.topic(), schema, changed));
  }

  @Test
  void typedCiphertextOfAnotherType_isADataExceptionNamingTheField() {
    Map<String, String> config = config(registry, "id");
    SourceRecord encrypted = encrypted(config);
    SinkRecord wrongType = withIdSchemaParameter(encrypted, "{\"type\":\"string\"}");

    assertThatThrownBy(() -> decryptor(config).apply(wrongType))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("field 'id'")
        .hasMessageContaining("offset 42");
  }

  @Test
  void corruptedTypeInTheSchemaParameter_isADataExceptionNamingTheField() {
    Map<String, String> config = config(registry, "id");
    SinkRecord corrupted = withIdSchemaParameter(encrypted(config), "{\"type\":\"int6");

    assertThatThrownBy(() -> decryptor(config).apply(corrupted))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("field 'id'");
  }

  @Test
  void typedFields_becomeStringsThatDecryptToTheOriginalType() {
    Map<String, String> config = config(registry, "id");
    SourceRecord encrypted = encrypted(config);
    assertThat(encrypted.valueSchema().field("id").schema().type())
        .isEqualTo(org.apache.kafka.connect.data.Schema.Type.STRING);
    assertThat(((Struct) decryptor(config).apply(asSinkRecord(encrypted)).value()).get("id"))
        .isEqualTo(1L);
  }
}
