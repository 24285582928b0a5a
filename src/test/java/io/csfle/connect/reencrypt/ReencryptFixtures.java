package io.csfle.connect.reencrypt;

import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.testkit.TestRecords;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * What the re-encryption tests share: an order value with two encrypted fields (a STRING and a
 * typed INT64), writing it encrypted under a given KEK and DEK version with the transforms' own
 * EncryptField, reading target ciphertext back with DecryptField, and connector configs.
 */
final class ReencryptFixtures {
  static final String TOPIC = "orders";
  static final String OLD_KEK = "old-kek";
  static final String NEW_KEK = "new-kek";
  static final String SECRET = "reencrypt-test-secret";
  static final String FIELDS = "email,amount";

  static final Schema ORDER =
      SchemaBuilder.struct()
          .name("Order")
          .field("id", Schema.INT64_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("amount", Schema.INT64_SCHEMA)
          .build();

  private ReencryptFixtures() {}

  static Struct order(long id) {
    return new Struct(ORDER)
        .put("id", id)
        .put("email", "user" + id + "@example.com")
        .put("amount", id * 100);
  }

  /** Keys of the transforms for {@code kek} in rotation mode (expiry 30 days). */
  static Map<String, String> keyConfig(String registryUrl, String kek) {
    Map<String, String> config = new HashMap<>();
    config.put("fields", FIELDS);
    config.put("schema.registry.url", registryUrl);
    config.put("encrypt.kek.name", kek);
    config.put("encrypt.kms.type", "local-kms");
    config.put("encrypt.kms.key.id", kek + "-id");
    config.put("encrypt.dek.expiry.days", "30");
    config.put("kms.secret", SECRET);
    config.put("max.retries", "0");
    return config;
  }

  /** The job: orders under OLD_KEK to NEW_KEK, rotation mode on both sides. */
  static Map<String, String> jobConfig(String registryUrl) {
    Map<String, String> config = keyConfig(registryUrl, NEW_KEK);
    config.put("source.bootstrap.servers", "localhost:9");
    config.put("topics", TOPIC);
    config.put("source.encrypt.kek.name", OLD_KEK);
    config.put("source.value.converter.schemas.enable", "true");
    config.put("source.poll.timeout.ms", "10");
    return config;
  }

  /**
   * Makes {@code version} the latest DEK of {@code subject} under {@code kek}, creating KEK too.
   */
  static void rotateTo(String registryUrl, String kek, String subject, int version) {
    try (RestDekStore registry = new RestDekStore(RegistryClientConfig.of(registryUrl))) {
      EncryptionKeys keys =
          new EncryptionKeys(
              registry,
              KekProviders.standard(),
              new KekSettings(kek, "local-kms", kek + "-id", Map.of("secret", SECRET)),
              DekAlgorithm.AES256_GCM,
              30,
              System::currentTimeMillis);
      while (keys.forSubject(subject).version() < version) {
        keys.rotateNow(subject);
      }
    }
  }

  /** The order encrypted by EncryptField with the latest DEK of {@code kek}, as JSON bytes. */
  static byte[] encryptedJson(String registryUrl, String kek, Struct order) {
    try (EncryptField<SourceRecord> encrypt = new EncryptField.Value<>()) {
      encrypt.configure(keyConfig(registryUrl, kek));
      SourceRecord encrypted = encrypt.apply(record(order.schema(), order));
      return json().fromConnectData(TOPIC, encrypted.valueSchema(), encrypted.value());
    }
  }

  static byte[] plainJson(Struct order) {
    return json().fromConnectData(TOPIC, order.schema(), order);
  }

  static JsonConverter json() {
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "true"), false);
    return converter;
  }

  static SourceRecord record(Schema schema, Object value) {
    return TestRecords.source(TOPIC, schema, value);
  }

  /** Decrypts a target record's fields with {@code kek} (reading {@code topic}'s subject). */
  static Struct decrypt(String registryUrl, String kek, SourceRecord output) {
    try (DecryptField<SinkRecord> decrypt = new DecryptField.Value<>()) {
      decrypt.configure(keyConfig(registryUrl, kek));
      SinkRecord sink =
          new SinkRecord(output.topic(), 0, null, null, output.valueSchema(), output.value(), 0L);
      return (Struct) decrypt.apply(sink).value();
    }
  }

  /** The DEK version in the prefix of a base64 field ciphertext. */
  static int versionOf(String base64) {
    return CiphertextFrame.version(Base64.getDecoder().decode(base64));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A task context whose offset store holds {@code stored} (source partition to offset). */
  static SourceTaskContext context(Map<Map<String, Object>, Map<String, Object>> stored) {
    OffsetStorageReader reader =
        new OffsetStorageReader() {
          @Override
          public <T> Map<String, Object> offset(Map<String, T> partition) {
            return stored.get(partition);
          }

          @Override
          public <T> Map<Map<String, T>, Map<String, Object>> offsets(
              Collection<Map<String, T>> partitions) {
            Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
            for (Map<String, T> p : partitions) {
              result.put(p, stored.get(p));
            }
            return result;
          }
        };
    return new SourceTaskContext() {
      @Override
      public Map<String, String> configs() {
        return Map.of();
      }

      @Override
      public OffsetStorageReader offsetStorageReader() {
        return reader;
      }

      @Override
      public PluginMetrics pluginMetrics() {
        return null;
      }
    };
  }
}
