package io.csfle.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.testkit.TestRecords;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-customer subjects on change events shaped like Debezium's (deletes carry only {@code
 * before}), and records that lack the subject's data: skipped when there is nothing to encrypt,
 * failed or sent to the fallback subject otherwise.
 */
class EntitySubjectRecordsTest {
  private static final String TOPIC = "dbserver1.public.customers";
  private static final String SUBJECT =
      "customer-${value.after.customer_id|value.before.customer_id}";
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("dbserver1.public.customers.Value")
          .optional()
          .field("customer_id", Schema.INT32_SCHEMA)
          .field("email", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name("dbserver1.public.customers.Envelope")
          .field("before", ROW)
          .field("after", ROW)
          .field("op", Schema.STRING_SCHEMA)
          .build();

  private final InMemoryDekRegistryServer registry =
      InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  private EncryptField<SourceRecord> encrypt;
  private DecryptField<SinkRecord> decrypt;

  @AfterEach
  void stop() {
    if (encrypt != null) {
      encrypt.close();
    }
    if (decrypt != null) {
      decrypt.close();
    }
    registry.close();
  }

  private void configure(String fields, String subject, String fallback) {
    Map<String, String> config = new HashMap<>(TransformFixtures.config(registry, fields));
    config.put("dek.subject", subject);
    if (fallback != null) {
      config.put("dek.subject.fallback", fallback);
    }
    encrypt = TransformFixtures.encryptValue(config);
    decrypt = TransformFixtures.decryptValue(config);
  }

  private List<String> dekSubjects() {
    try (RestDekStore store = new RestDekStore(RegistryClientConfig.of(registry.url()))) {
      return store.listDekSubjects("test_kek-entities", false); // entity keys
    }
  }

  private static Struct row(int customer, String email) {
    return new Struct(ROW).put("customer_id", customer).put("email", email);
  }

  private static SourceRecord event(String op, Struct before, Struct after) {
    Struct envelope = new Struct(ENVELOPE).put("before", before).put("after", after).put("op", op);
    return TestRecords.source(TOPIC, ENVELOPE, envelope);
  }

  private static SinkRecord sink(SourceRecord record) {
    return TestRecords.asSink(record, 1, 11L);
  }

  @Test
  void insertAndDelete_ofOneCustomer_shareItsSubject_andDecrypt() {
    configure("before.email,after.email", SUBJECT, null);

    SourceRecord insert = encrypt.apply(event("c", null, row(7, "seven@example.com")));
    SourceRecord delete = encrypt.apply(event("d", row(7, "seven@example.com"), null));
    encrypt.apply(event("c", null, row(8, "eight@example.com")));

    assertThat(dekSubjects()).containsExactlyInAnyOrder("customer-7", "customer-8");
    Struct inserted = (Struct) decrypt.apply(sink(insert)).value();
    Struct deleted = (Struct) decrypt.apply(sink(delete)).value();
    assertThat(inserted.getStruct("after").getString("email")).isEqualTo("seven@example.com");
    assertThat(deleted.getStruct("before").getString("email")).isEqualTo("seven@example.com");
    assertThat(deleted.get("after")).isNull();
  }

  @Test
  void recordWithNothingToEncrypt_makesNoRegistryCall_andNeedsNoSubjectData() {
    configure("email", "customer-${value.customer_id}", null);
    int before = registry.requestCount();
    Map<String, Object> noEmail = new HashMap<>();
    noEmail.put("email", null);

    SourceRecord out = encrypt.apply(TestRecords.source(TOPIC, null, noEmail));
    decrypt.apply(sink(out));

    assertThat(registry.requestCount()).isEqualTo(before);
    assertThat(out.value()).isEqualTo(noEmail);
  }

  @Test
  @SuppressWarnings("unchecked")
  void missingSubjectData_failsNamingThePlaceholderAndTheRecord() {
    configure("email", "customer-${value.customer_id|header.customer}", null);
    Map<String, Object> value = Map.of("email", "anon@example.com");

    assertThatThrownBy(() -> encrypt.apply(TestRecords.source(TOPIC, null, value)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic '" + TOPIC + "', partition 0")
        .hasMessageContaining("${value.customer_id|header.customer}")
        .hasMessageContaining("value.customer_id, header.customer")
        .hasMessageNotContaining("anon@example.com");
    Map<String, Object> encrypted =
        new HashMap<>(
            (Map<String, Object>)
                encrypt
                    .apply(
                        TestRecords.source(
                            TOPIC, null, Map.of("email", "anon@example.com", "customer_id", 5)))
                    .value());
    encrypted.remove("customer_id");
    assertThatThrownBy(() -> decrypt.apply(TestRecords.sink(TOPIC, 3, null, encrypted, 99L)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("partition 3, offset 99")
        .hasMessageContaining("${value.customer_id|header.customer}");
    assertThat(dekSubjects()).containsExactly("customer-5");
  }

  @Test
  void missingSubjectData_goesToTheFallbackSubject_whenSet() {
    configure("email", "customer-${value.customer_id}", "${topic}-unassigned");

    SourceRecord anonymous =
        encrypt.apply(TestRecords.source(TOPIC, null, Map.of("email", "anon@example.com")));
    SourceRecord known =
        encrypt.apply(
            TestRecords.source(TOPIC, null, Map.of("email", "k@example.com", "customer_id", 4)));

    assertThat(dekSubjects()).containsExactlyInAnyOrder(TOPIC + "-unassigned", "customer-4");
    assertThat(((Map<?, ?>) decrypt.apply(sink(anonymous)).value()).get("email"))
        .isEqualTo("anon@example.com");
    assertThat(((Map<?, ?>) decrypt.apply(sink(known)).value()).get("email"))
        .isEqualTo("k@example.com");
  }

  @Test
  void hostileCustomerId_staysInsideItsSubject() {
    configure("email", "customer-${value.customer_id}", null);

    encrypt.apply(
        TestRecords.source(
            TOPIC, null, Map.of("email", "h@example.com", "customer_id", "../x/deks/other")));

    assertThat(dekSubjects()).containsExactly("customer-..%2Fx%2Fdeks%2Fother");
  }

  @Test
  void structCustomerId_failsTheRecord() {
    configure("before.email", "customer-${value.after}", null);

    assertThatThrownBy(
            () -> encrypt.apply(event("u", row(7, "seven@example.com"), row(7, "7@example.com"))))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("a Struct")
        .hasMessageNotContaining("seven@example.com");
  }
}
