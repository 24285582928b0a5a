package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testkit.TestRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code dek.cache.max.subjects} and {@code dek.cache.max.versions} reach the DEK caches. */
class DekCacheConfigTest {
  private final InMemoryDekRegistryServer registry =
      InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  private final List<Transformation<?>> opened = new ArrayList<>();

  @AfterEach
  void stop() {
    opened.forEach(Transformation::close);
    registry.close();
  }

  private static SourceRecord record(String topic) {
    return TestRecords.source(topic, TransformFixtures.VALUE, value(1, "a@example.com", null));
  }

  private EncryptField<SourceRecord> encryptor(Map<String, String> config) {
    EncryptField<SourceRecord> t = TransformFixtures.encryptValue(config);
    opened.add(t);
    return t;
  }

  private DecryptField<SinkRecord> decryptor(Map<String, String> config) {
    DecryptField<SinkRecord> t = TransformFixtures.decryptValue(config);
    opened.add(t);
    return t;
  }

  /** Registry requests made while {@code transform} handles two topics' records in turn. */
  private int requestsAlternating(Transformation<SourceRecord> transform) {
    transform.apply(record("t1"));
    transform.apply(record("t2"));
    registry.clearRequests();
    for (int i = 0; i < 10; i++) {
      transform.apply(record(i % 2 == 0 ? "t1" : "t2"));
    }
    return registry.requestCount();
  }

  @Test
  void writerWithRoomForOneSubject_rereadsOnEverySwitchOfTopic() {
    Map<String, String> config = config(registry, "email");
    config.put("dek.cache.max.subjects", "1");

    assertThat(requestsAlternating(encryptor(config))).isEqualTo(10);
  }

  @Test
  void writerWithTheDefault_makesNoRequestsOnceBothSubjectsAreCached() {
    assertThat(requestsAlternating(encryptor(config(registry, "email")))).isZero();
  }

  @Test
  void readerWithRoomForOneVersion_rereadsOnEverySwitchOfTopic() {
    Map<String, String> config = config(registry, "email");
    SinkRecord r1 = asSinkRecord(encryptor(config).apply(record("t1")));
    SinkRecord r2 = asSinkRecord(encryptor(config).apply(record("t2")));
    config.put("dek.cache.max.versions", "1");
    DecryptField<SinkRecord> decrypt = decryptor(config);
    decrypt.apply(r1);
    decrypt.apply(r2);
    registry.clearRequests();

    for (int i = 0; i < 10; i++) {
      decrypt.apply(i % 2 == 0 ? r1 : r2);
    }

    assertThat(registry.requestCount()).isEqualTo(10);
  }

  @Test
  void cacheBoundsBelowOne_areConfigErrors() {
    Map<String, String> writer = config(registry, "email");
    writer.put("dek.cache.max.subjects", "0");
    Map<String, String> reader = config(registry, "email");
    reader.put("dek.cache.max.versions", "0");

    assertThatThrownBy(() -> encryptor(writer))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dek.cache.max.subjects");
    assertThatThrownBy(() -> decryptor(reader))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dek.cache.max.versions");
  }
}
