package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.sourceRecord;
import static io.csfle.connect.transforms.TransformFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DecryptField on a topic of per-customer DEK subjects where one customer was forgotten (every DEK
 * of its subject destroyed): {@code decrypt.on.forgotten} fails, passes the ciphertext through or
 * nulls that customer's fields, while the other customer still decrypts; and altered ciphertext is
 * never taken for a forgotten customer.
 */
class ForgottenEntityDecryptTest {
  private final InMemoryDekRegistryServer registry =
      InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
  private Map<String, String> config;
  private SinkRecord forgotten;
  private SinkRecord kept;

  @BeforeEach
  void encryptTwoCustomers_andForgetTheFirst() {
    config = TransformFixtures.config(registry, "email,customer");
    config.put("dek.subject", "customer-${value.id}");
    try (EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config)) {
      forgotten =
          asSinkRecord(
              encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(1, "a@x.io", null))));
      kept =
          asSinkRecord(
              encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(2, "b@x.io", "2"))));
    }
    try (RestDekStore admin = new RestDekStore(RegistryClientConfig.of(registry.url()))) {
      // Record-data subjects get entity keys, stored under the KEK's entities KEK.
      DekSubject dek = new DekSubject("test_kek-entities", "customer-1", DekAlgorithm.AES256_GCM);
      admin.deleteDek(dek, false);
      admin.deleteDek(dek, true);
    }
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private DecryptField<SinkRecord> decrypt(String onForgotten) {
    Map<String, String> settings = new HashMap<>(config);
    if (onForgotten != null) {
      settings.put("decrypt.on.forgotten", onForgotten);
    }
    return TransformFixtures.decryptValue(settings);
  }

  @Test
  void failByDefault_namesTheRecordFieldAndTheDestroyedDek() {
    try (DecryptField<SinkRecord> decrypt = decrypt(null)) {
      assertThatThrownBy(() -> decrypt.apply(forgotten))
          .isInstanceOf(DataException.class)
          .hasMessageContaining("topic 'customers', partition 2, offset 42")
          .hasMessageContaining("field 'email'")
          .hasMessageContaining("forgotten")
          .hasMessageNotContaining("a@x.io");
      assertThat(((Struct) decrypt.apply(kept).value()).getString("email")).isEqualTo("b@x.io");
    }
  }

  @Test
  void unsetWithPassthroughOnFailure_passesTheForgottenRecordThrough() {
    config.put("decrypt.on.failure", "passthrough");
    try (DecryptField<SinkRecord> decrypt = decrypt(null)) {
      assertThat(decrypt.apply(forgotten)).isSameAs(forgotten);
    }
  }

  @Test
  void failOverridesPassthroughOnFailure() {
    config.put("decrypt.on.failure", "passthrough");
    try (DecryptField<SinkRecord> decrypt = decrypt("fail")) {
      assertThatThrownBy(() -> decrypt.apply(forgotten)).hasMessageContaining("forgotten");
    }
  }

  @Test
  void passthrough_keepsTheForgottenRecordUnchanged_andDecryptsTheOthers() {
    try (DecryptField<SinkRecord> decrypt = decrypt("passthrough")) {
      // "customer" is a typed (STRUCT) field: its restored type cannot hold ciphertext.
      assertThat(decrypt.apply(forgotten)).isSameAs(forgotten);
      Struct other = (Struct) decrypt.apply(kept).value();
      assertThat(other.getString("email")).isEqualTo("b@x.io");
      assertThat(other.getStruct("customer").getString("email")).isEqualTo("c-b@x.io");
    }
  }

  @Test
  void null_nullsTheForgottenFields_inAValidRecord_andCountsThem() {
    CollectingPluginMetrics metrics = new CollectingPluginMetrics();
    try (DecryptField<SinkRecord> decrypt = decrypt("null")) {
      decrypt.withPluginMetrics(metrics);
      SinkRecord erased = decrypt.apply(forgotten);
      SinkRecord other = decrypt.apply(kept);

      Struct value = (Struct) erased.value();
      value.validate();
      assertThat(value.get("email")).isNull();
      assertThat(value.get("customer")).isNull();
      assertThat(value.getInt64("id")).isEqualTo(1L);
      assertThat(erased.valueSchema().field("email").schema().isOptional()).isTrue();
      assertThat(erased.valueSchema().field("customer").schema().isOptional()).isTrue();
      assertThat(erased.valueSchema().field("customer").schema().field("tier").schema())
          .isEqualTo(Schema.STRING_SCHEMA);
      assertThat(((Struct) other.value()).getString("email")).isEqualTo("b@x.io");
      assertThat(other.valueSchema()).isEqualTo(erased.valueSchema());
      assertThat(metrics.value("forgotten-fields-total")).isEqualTo(2L);
    }
  }

  @Test
  void null_neverNullsAlteredCiphertext_ofAKnownCustomer() {
    Struct value = (Struct) kept.value();
    byte[] ciphertext = Base64.getDecoder().decode(value.getString("email"));
    ciphertext[ciphertext.length - 1] ^= 1;
    Struct altered =
        new Struct(value.schema())
            .put("id", value.get("id"))
            .put("email", Base64.getEncoder().encodeToString(ciphertext))
            .put("ssn", value.get("ssn"))
            .put("card", value.get("card"))
            .put("customer", value.get("customer"));
    SinkRecord record =
        kept.newRecord(
            kept.topic(),
            kept.kafkaPartition(),
            kept.keySchema(),
            kept.key(),
            kept.valueSchema(),
            altered,
            kept.timestamp());
    try (DecryptField<SinkRecord> decrypt = decrypt("null")) {
      assertThatThrownBy(() -> decrypt.apply(record))
          .isInstanceOf(DataException.class)
          .hasMessageNotContaining("forgotten");
    }
  }

  @Test
  void null_neverNullsACiphertextNamingAMissingVersionOfAKnownCustomer() {
    config.put("encrypt.dek.expiry.days", "30");
    Map<String, String> rotating = new HashMap<>(config);
    SinkRecord record;
    try (EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(rotating)) {
      record =
          asSinkRecord(
              encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(2, "b@x.io", "2"))));
    }
    Struct value = (Struct) record.value();
    byte[] ciphertext = Base64.getDecoder().decode(value.getString("email"));
    ciphertext[4] = 9; // the version prefix names version 9, which customer-2 does not have
    value.put("email", Base64.getEncoder().encodeToString(ciphertext));
    try (DecryptField<SinkRecord> decrypt = decrypt("null")) {
      assertThatThrownBy(() -> decrypt.apply(record))
          .isInstanceOf(DataException.class)
          .hasMessageContaining("version 9")
          .hasMessageNotContaining("forgotten");
    }
  }

  @Test
  void anUnknownMode_isAConfigError() {
    assertThatThrownBy(() -> decrypt("drop")).isInstanceOf(ConfigException.class);
  }
}
