package io.csfle.connect.transforms;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.testkit.TestRecords;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/** Records, schemas and configured transforms shared by the transform unit tests. */
final class TransformFixtures {
  static final String TOPIC = "customers";
  static final String SECRET = "test-secret";

  static final Schema CUSTOMER =
      SchemaBuilder.struct()
          .name("Customer")
          .field("email", Schema.STRING_SCHEMA)
          .field("tier", Schema.STRING_SCHEMA)
          .build();
  static final Schema VALUE =
      SchemaBuilder.struct()
          .name("io.csfle.test.Order")
          .version(3)
          .doc("an order")
          .field("id", Schema.INT64_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("ssn", Schema.OPTIONAL_STRING_SCHEMA)
          .field("card", Schema.BYTES_SCHEMA)
          .field("customer", CUSTOMER)
          .build();
  static final Schema KEY =
      SchemaBuilder.struct().name("Key").field("customerId", Schema.STRING_SCHEMA).build();

  private TransformFixtures() {}

  static Struct value(long id, String email, String ssn) {
    return new Struct(VALUE)
        .put("id", id)
        .put("email", email)
        .put("ssn", ssn)
        .put("card", ("4111-" + id).getBytes(StandardCharsets.UTF_8))
        .put("customer", new Struct(CUSTOMER).put("email", "c-" + email).put("tier", "gold"));
  }

  static Map<String, Object> schemalessValue(String email) {
    Map<String, Object> customer = new LinkedHashMap<>();
    customer.put("email", "c-" + email);
    customer.put("tier", "gold");
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("id", 7L);
    value.put("email", email);
    value.put("ssn", null);
    value.put("customer", customer);
    return value;
  }

  static SourceRecord sourceRecord(Schema schema, Object value) {
    return new SourceRecord(
        Map.of("p", 1),
        Map.of("o", 1),
        TOPIC,
        0,
        KEY,
        new Struct(KEY).put("customerId", "cust-1"),
        schema,
        value);
  }

  /**
   * The sink-side view of a source record after it went through Kafka, at partition 2 offset 42.
   */
  static SinkRecord asSinkRecord(SourceRecord r) {
    return TestRecords.asSink(r, 2, 42L);
  }

  static Map<String, String> config(InMemoryDekRegistryServer registry, String fields) {
    Map<String, String> config = new HashMap<>();
    config.put("fields", fields);
    config.put("schema.registry.url", registry.url());
    config.put("encrypt.kek.name", "test_kek");
    config.put("encrypt.kms.type", "local-kms");
    config.put("encrypt.kms.key.id", "test-key");
    config.put("kms.secret", SECRET);
    config.put("retries.wait.ms", "1");
    config.put("retries.max.wait.ms", "5");
    config.put("max.retries", "1");
    return config;
  }

  static EncryptField<SourceRecord> encryptValue(Map<String, String> config) {
    EncryptField<SourceRecord> transform = new EncryptField.Value<>();
    transform.configure(config);
    return transform;
  }

  static EncryptField<SourceRecord> encryptKey(Map<String, String> config) {
    EncryptField<SourceRecord> transform = new EncryptField.Key<>();
    transform.configure(config);
    return transform;
  }

  static DecryptField<SinkRecord> decryptValue(Map<String, String> config) {
    DecryptField<SinkRecord> transform = new DecryptField.Value<>();
    transform.configure(config);
    return transform;
  }

  static DecryptField<SinkRecord> decryptKey(Map<String, String> config) {
    DecryptField<SinkRecord> transform = new DecryptField.Key<>();
    transform.configure(config);
    return transform;
  }
}
