package io.csfle.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.kafka.KafkaDekStore;
import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import io.csfle.connect.testkit.ClusterExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transforms with {@code dek.store=kafka} and local-kms on a real broker: a round trip, one
 * shared reader per store configuration, and crypto-shredding by permanently deleting a subject.
 */
@Timeout(60)
class KafkaDekStoreTransformsIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ClusterExtension.kafkaOnly().broker("auto.create.topics.enable", "false");

  private static Map<String, String> config(String keyTopic) {
    Map<String, String> config = new HashMap<>();
    config.put("fields", "email,customer.email");
    config.put("encrypt.kek.name", "test_kek");
    config.put("encrypt.kms.type", "local-kms");
    config.put("encrypt.kms.key.id", "test-key");
    config.put("kms.secret", TransformFixtures.SECRET);
    config.put("dek.store", "kafka");
    config.put("dek.store.bootstrap.servers", clusters.kafka().bootstrapServers());
    config.put("dek.store.topic", keyTopic);
    config.put("dek.store.topic.replication.factor", "1");
    return config;
  }

  /** The same store the transforms use (same identity, so the same shared reader). */
  private static KafkaDekStore adminStore(String keyTopic) {
    return KafkaDekStore.open(
        new KafkaDekStoreConfig(
            clusters.kafka().bootstrapServers(),
            keyTopic,
            1,
            (short) 1,
            null,
            Map.of(),
            Duration.ofSeconds(30)));
  }

  @Test
  void permanentlyDeletedSubject_cannotBeDecryptedAnyMore_withAClearDataException() {
    Map<String, String> config = config("_keys_shredding");
    SourceRecord original =
        TransformFixtures.sourceRecord(
            TransformFixtures.VALUE, TransformFixtures.value(1, "alice@example.com", null));
    SinkRecord encrypted;
    try (EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config);
        DecryptField<SinkRecord> decrypt = TransformFixtures.decryptValue(config)) {
      encrypted = TransformFixtures.asSinkRecord(encrypt.apply(original));
      String ciphertext = ((Struct) encrypted.value()).getString("email");
      assertThat(ciphertext).isNotEqualTo("alice@example.com");
      assertThat(((Struct) decrypt.apply(encrypted).value()).getString("email"))
          .isEqualTo("alice@example.com");

      try (KafkaDekStore admin = adminStore("_keys_shredding")) {
        admin.deleteDek(
            new DekSubject("test_kek", "customers-value", DekAlgorithm.AES256_GCM), false);
        admin.deleteDek(
            new DekSubject("test_kek", "customers-value", DekAlgorithm.AES256_GCM), true);
        assertThat(
                admin.listDekVersions(
                    new DekSubject("test_kek", "customers-value", DekAlgorithm.AES256_GCM), true))
            .isEmpty();
      }
    }

    String ciphertext = ((Struct) encrypted.value()).getString("email");
    try (DecryptField<SinkRecord> fresh = TransformFixtures.decryptValue(config)) {
      assertThatThrownBy(() -> fresh.apply(encrypted))
          .isInstanceOf(DataException.class)
          .hasMessageContaining("DEK 'customers-value' version 1")
          .hasMessageContaining("does not exist")
          .hasMessageContaining("permanently deleted")
          .hasMessageNotContaining("alice")
          .hasMessageNotContaining(ciphertext);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES256_GCM", "AES256_SIV"})
  void entityKeys_roundTrip_andDestroyingOneCustomersKeyShredsOnlyThatCustomer(String algorithm) {
    String keyTopic = "_keys_entities_" + algorithm.toLowerCase(java.util.Locale.ROOT);
    Map<String, String> config = config(keyTopic);
    config.put("dek.subject", "customer-${value.id}");
    config.put("encrypt.dek.algorithm", algorithm);
    DekAlgorithm alg = DekAlgorithm.parse(algorithm);
    SinkRecord first;
    SinkRecord second;
    try (EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config);
        DecryptField<SinkRecord> decrypt = TransformFixtures.decryptValue(config)) {
      first =
          TransformFixtures.asSinkRecord(
              encrypt.apply(
                  TransformFixtures.sourceRecord(
                      TransformFixtures.VALUE, TransformFixtures.value(1, "a@example.com", null))));
      second =
          TransformFixtures.asSinkRecord(
              encrypt.apply(
                  TransformFixtures.sourceRecord(
                      TransformFixtures.VALUE, TransformFixtures.value(2, "b@example.com", null))));
      assertThat(((Struct) decrypt.apply(first).value()).getString("email"))
          .isEqualTo("a@example.com");
      assertThat(((Struct) decrypt.apply(second).value()).getString("email"))
          .isEqualTo("b@example.com");
    }
    try (KafkaDekStore admin = adminStore(keyTopic)) {
      assertThat(admin.listDekSubjects("test_kek-entities", false))
          .containsExactlyInAnyOrder("customer-1", "customer-2");
      assertThat(admin.listDekSubjects("test_kek", false)).containsExactly("customers-entities");
      DekSubject customer1 = new DekSubject("test_kek-entities", "customer-1", alg);
      admin.deleteDek(customer1, false);
      admin.deleteDek(customer1, true);
    }
    try (DecryptField<SinkRecord> fresh = TransformFixtures.decryptValue(config)) {
      assertThatThrownBy(() -> fresh.apply(first))
          .isInstanceOf(DataException.class)
          .hasMessageContaining("customer-1")
          .hasMessageNotContaining("a@example.com");
      assertThat(((Struct) fresh.apply(second).value()).getString("email"))
          .isEqualTo("b@example.com");
    }
  }

  @Test
  void twoTransformsWithTheSameStore_shareOneReader_releasedWhenBothClose() {
    int before = KafkaDekStore.openReaders();
    Map<String, String> config = config("_keys_sharing");
    EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config);
    DecryptField<SinkRecord> decrypt = TransformFixtures.decryptValue(config);
    try {
      assertThat(KafkaDekStore.openReaders()).isEqualTo(before + 1);
      SourceRecord original =
          TransformFixtures.sourceRecord(
              TransformFixtures.VALUE, TransformFixtures.value(2, "bob@example.com", "123"));
      SinkRecord encrypted = TransformFixtures.asSinkRecord(encrypt.apply(original));
      assertThat(decrypt.apply(encrypted).value()).isEqualTo(original.value());

      encrypt.close();
      assertThat(KafkaDekStore.openReaders()).isEqualTo(before + 1);
    } finally {
      encrypt.close();
      decrypt.close();
    }
    assertThat(KafkaDekStore.openReaders()).isEqualTo(before);
  }
}
