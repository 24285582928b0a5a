package io.csfle.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.testkit.TestRecords;
import java.util.ArrayList;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EncryptField then DecryptField with a DEK subject per customer, read from the record: each
 * customer's fields go under their own DEK, and a reader finds it from the same record data.
 */
class EntitySubjectRoundTripTest {
  private static final String TOPIC = "orders";
  private static final Schema ORDER =
      SchemaBuilder.struct()
          .name("Order")
          .field("customer_id", Schema.OPTIONAL_STRING_SCHEMA)
          .field("email", Schema.OPTIONAL_STRING_SCHEMA)
          .field("note", Schema.STRING_SCHEMA)
          .build();
  private static final Schema KEY =
      SchemaBuilder.struct()
          .name("OrderKey")
          .field("customer_id", Schema.INT64_SCHEMA)
          .field("ssn", Schema.STRING_SCHEMA)
          .build();

  private final InMemoryDekRegistryServer registry =
      InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  private final List<AutoCloseable> transforms = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable transform : transforms) {
      transform.close();
    }
    registry.close();
  }

  private Map<String, String> config(String fields, String subject, String algorithm) {
    Map<String, String> config = new HashMap<>(TransformFixtures.config(registry, fields));
    config.put("dek.subject", subject);
    config.put("encrypt.dek.algorithm", algorithm);
    return config;
  }

  private <T extends AutoCloseable> T track(T transform) {
    transforms.add(transform);
    return transform;
  }

  private List<String> dekSubjects() {
    try (RestDekStore store = new RestDekStore(RegistryClientConfig.of(registry.url()))) {
      return store.listDekSubjects("test_kek-entities", false); // entity keys
    }
  }

  private static Struct order(String customer, String email) {
    return new Struct(ORDER).put("customer_id", customer).put("email", email).put("note", "n");
  }

  private static SourceRecord valueRecord(Schema schema, Object value) {
    return TestRecords.source(TOPIC, schema, value);
  }

  private static SinkRecord sink(SourceRecord record) {
    return TestRecords.asSink(record, 0, 5L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES256_GCM", "AES256_SIV"})
  void structValues_twoCustomersGetTwoSubjects_andDecrypt(String algorithm) {
    Map<String, String> config = config("email", "customer-${value.customer_id}", algorithm);
    EncryptField<SourceRecord> encrypt = track(TransformFixtures.encryptValue(config));
    DecryptField<SinkRecord> decrypt = track(TransformFixtures.decryptValue(config));

    SourceRecord a = encrypt.apply(valueRecord(ORDER, order("a", "a@example.com")));
    SourceRecord b = encrypt.apply(valueRecord(ORDER, order("b", "b@example.com")));

    assertThat(((Struct) a.value()).getString("email")).isNotEqualTo("a@example.com");
    assertThat(dekSubjects()).containsExactlyInAnyOrder("customer-a", "customer-b");
    assertThat(((Struct) decrypt.apply(sink(a)).value()).getString("email"))
        .isEqualTo("a@example.com");
    assertThat(((Struct) decrypt.apply(sink(b)).value()).getString("email"))
        .isEqualTo("b@example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES256_GCM", "AES256_SIV"})
  void schemalessValues_twoCustomersGetTwoSubjects_andDecrypt(String algorithm) {
    Map<String, String> config = config("email", "customer-${value.customer.id}", algorithm);
    EncryptField<SourceRecord> encrypt = track(TransformFixtures.encryptValue(config));
    DecryptField<SinkRecord> decrypt = track(TransformFixtures.decryptValue(config));

    SourceRecord a =
        encrypt.apply(
            valueRecord(null, Map.of("customer", Map.of("id", 17L), "email", "a@example.com")));
    SourceRecord b =
        encrypt.apply(
            valueRecord(null, Map.of("customer", Map.of("id", 18L), "email", "b@example.com")));

    assertThat(dekSubjects()).containsExactlyInAnyOrder("customer-17", "customer-18");
    assertThat(((Map<?, ?>) decrypt.apply(sink(a)).value()).get("email"))
        .isEqualTo("a@example.com");
    assertThat(((Map<?, ?>) decrypt.apply(sink(b)).value()).get("email"))
        .isEqualTo("b@example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES256_GCM", "AES256_SIV"})
  void structKeys_encryptUnderTheKeysCustomer_andDecrypt(String algorithm) {
    Map<String, String> config = config("ssn", "customer-${key.customer_id}", algorithm);
    EncryptField<SourceRecord> encrypt = track(TransformFixtures.encryptKey(config));
    DecryptField<SinkRecord> decrypt = track(TransformFixtures.decryptKey(config));

    SourceRecord a = encrypt.apply(keyed(new Struct(KEY).put("customer_id", 1L).put("ssn", "111")));
    SourceRecord b = encrypt.apply(keyed(new Struct(KEY).put("customer_id", 2L).put("ssn", "222")));

    assertThat(((Struct) a.key()).getString("ssn")).isNotEqualTo("111");
    assertThat(dekSubjects()).containsExactlyInAnyOrder("customer-1", "customer-2");
    assertThat(((Struct) decrypt.apply(sink(a)).key()).getString("ssn")).isEqualTo("111");
    assertThat(((Struct) decrypt.apply(sink(b)).key()).getString("ssn")).isEqualTo("222");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES256_GCM", "AES256_SIV"})
  void primitiveKeys_encryptUnderTheValuesCustomer_andDecrypt(String algorithm) {
    Map<String, String> config = config("ssn", "customer-${value.customer_id}", algorithm);
    EncryptField<SourceRecord> encrypt = track(TransformFixtures.encryptKey(config));
    DecryptField<SinkRecord> decrypt = track(TransformFixtures.decryptKey(config));
    Map<String, Object> key = Map.of("ssn", "333");

    SourceRecord c =
        encrypt.apply(
            new SourceRecord(null, null, TOPIC, 0, null, key, ORDER, order("c", "c@example.com")));

    assertThat(dekSubjects()).containsExactly("customer-c");
    assertThat(((Map<?, ?>) decrypt.apply(sink(c)).key()).get("ssn")).isEqualTo("333");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES256_GCM", "AES256_SIV"})
  void otherCustomerInTheRecord_failsToDecrypt(String algorithm) {
    Map<String, String> config = config("email", "customer-${value.customer_id}", algorithm);
    EncryptField<SourceRecord> encrypt = track(TransformFixtures.encryptValue(config));
    DecryptField<SinkRecord> decrypt = track(TransformFixtures.decryptValue(config));
    SourceRecord a = encrypt.apply(valueRecord(ORDER, order("a", "a@example.com")));
    encrypt.apply(valueRecord(ORDER, order("b", "b@example.com"))); // b's DEK exists too

    Struct claimsB = TestRecords.withField((Struct) a.value(), "customer_id", "b");
    SinkRecord moved = TestRecords.sink(TOPIC, 0, ORDER, claimsB, 9L);

    assertThatThrownBy(() -> decrypt.apply(moved))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("offset 9")
        .hasMessageContaining("field 'email'")
        .hasMessageNotContaining("a@example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES256_GCM", "AES256_SIV"})
  void entityKeys_storeOneParentDekPerTopic_andNoDekPerCustomerUnderTheKek(String algorithm) {
    Map<String, String> config = config("email", "customer-${value.customer_id}", algorithm);
    EncryptField<SourceRecord> encrypt = track(TransformFixtures.encryptValue(config));
    for (String customer : List.of("a", "b", "c")) {
      encrypt.apply(valueRecord(ORDER, order(customer, customer + "@example.com")));
    }
    try (RestDekStore store = new RestDekStore(RegistryClientConfig.of(registry.url()))) {
      assertThat(store.listDekSubjects("test_kek", false)).containsExactly("orders-entities");
      assertThat(store.getKek("test_kek-entities", false).orElseThrow().kmsType())
          .isEqualTo("csfle-subject-dek");
    }
    assertThat(dekSubjects()).containsExactlyInAnyOrder("customer-a", "customer-b", "customer-c");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES256_GCM", "AES256_SIV"})
  void perEntityKmsDeksFromBefore_stillDecrypt_andKeepBeingUsed(String algorithm) {
    Map<String, String> kms = config("email", "customer-${value.customer_id}", algorithm);
    kms.put("dek.entity.wrap", "kms");
    Map<String, String> hierarchy = config("email", "customer-${value.customer_id}", algorithm);
    SourceRecord old =
        track(TransformFixtures.encryptValue(kms))
            .apply(valueRecord(ORDER, order("a", "a@example.com")));
    SourceRecord later =
        track(TransformFixtures.encryptValue(hierarchy))
            .apply(valueRecord(ORDER, order("a", "a2@example.com")));
    DecryptField<SinkRecord> decrypt = track(TransformFixtures.decryptValue(hierarchy));

    assertThat(dekSubjects()).as("no entity key shadows the older DEK").isEmpty();
    assertThat(((Struct) decrypt.apply(sink(old)).value()).getString("email"))
        .isEqualTo("a@example.com");
    assertThat(((Struct) decrypt.apply(sink(later)).value()).getString("email"))
        .isEqualTo("a2@example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES256_GCM", "AES256_SIV"})
  void readerWithKmsWrap_decryptsEntityKeysWrittenUnderTheSubjectDek(String algorithm) {
    Map<String, String> hierarchy = config("email", "customer-${value.customer_id}", algorithm);
    Map<String, String> kms = config("email", "customer-${value.customer_id}", algorithm);
    kms.put("dek.entity.wrap", "kms");
    kms.put("decrypt.on.forgotten", "null");
    SourceRecord written =
        track(TransformFixtures.encryptValue(hierarchy))
            .apply(valueRecord(ORDER, order("a", "a@example.com")));
    DecryptField<SinkRecord> decrypt = track(TransformFixtures.decryptValue(kms));

    assertThat(dekSubjects()).containsExactly("customer-a");
    assertThat(((Struct) decrypt.apply(sink(written)).value()).getString("email"))
        .as("an entity key is not a forgotten entity, whatever the reader's dek.entity.wrap says")
        .isEqualTo("a@example.com");
  }

  private static SourceRecord keyed(Struct key) {
    return new SourceRecord(null, null, TOPIC, 0, KEY, key, ORDER, order("x", "x@example.com"));
  }
}
