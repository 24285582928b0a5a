package io.csfle.connect.transforms;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/** Records with headers and configured header transforms, for the header transform tests. */
final class HeaderFixtures {
  static final String TOPIC = TransformFixtures.TOPIC;

  private HeaderFixtures() {}

  /** The local-kms settings of {@link TransformFixtures#config}, with {@code headers}. */
  static Map<String, String> config(InMemoryDekRegistryServer registry, String headers) {
    Map<String, String> config = TransformFixtures.config(registry, "unused");
    config.remove("fields");
    config.put("headers", headers);
    return config;
  }

  static EncryptHeaders<SourceRecord> encrypt(Map<String, String> config) {
    return configured(new EncryptHeaders<>(), config);
  }

  static DecryptHeaders<SinkRecord> decrypt(Map<String, String> config) {
    return configured(new DecryptHeaders<>(), config);
  }

  private static <T extends HeaderCryptoTransform<?>> T configured(
      T transform, Map<String, String> config) {
    transform.configure(config);
    return transform;
  }

  /** A source record of {@code topic} with a string value and these headers. */
  static SourceRecord source(String topic, Headers headers) {
    return new SourceRecord(
        Map.of("p", 1),
        Map.of("o", 1),
        topic,
        0,
        null,
        null,
        Schema.STRING_SCHEMA,
        "value",
        1_000L,
        headers);
  }

  static SourceRecord source(Headers headers) {
    return source(TOPIC, headers);
  }

  /** The sink-side view of {@code record}, headers included, at partition 2 offset 42. */
  static SinkRecord asSink(SourceRecord record) {
    return new SinkRecord(
        record.topic(),
        2,
        record.keySchema(),
        record.key(),
        record.valueSchema(),
        record.value(),
        42L,
        record.timestamp(),
        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
        record.headers().duplicate());
  }

  static ConnectHeaders headers() {
    return new ConnectHeaders();
  }
}
