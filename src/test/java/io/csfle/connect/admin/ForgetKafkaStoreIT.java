package io.csfle.connect.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.kafka.KafkaStoreTestSupport;
import io.csfle.connect.testkit.ClusterExtension;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * forget on the embedded Kafka DEK store: the commands of {@link ForgetContract}, and the key
 * topic's records of a forgotten subject ending in tombstones, which compaction removes.
 */
@Timeout(120)
class ForgetKafkaStoreIT extends ForgetContract {
  @RegisterExtension static final ClusterExtension clusters = KafkaStoreTestSupport.broker();

  private static final AtomicInteger TOPICS = new AtomicInteger();
  private String keyTopic;

  @Override
  protected Map<String, String> freshStore() {
    keyTopic = "_csfle_keys_forget_" + TOPICS.incrementAndGet();
    Map<String, String> transform = new HashMap<>();
    transform.put("fields", "email");
    transform.put("dek.store", "kafka");
    transform.put("dek.store.bootstrap.servers", clusters.kafka().bootstrapServers());
    transform.put("dek.store.topic", keyTopic);
    transform.put("encrypt.kek.name", "ops_kek");
    transform.put("encrypt.kms.type", "local-kms");
    transform.put("encrypt.kms.key.id", "ops_kek");
    transform.put("kms.secret", "forget-kafka-test-secret");
    return transform;
  }

  @Test
  void forget_leavesATombstoneAsTheLastRecordOfEveryKeyOfTheSubject() {
    encrypted("41");
    encrypted("42");

    assertThat(admin("forget", "customer-41")).as(result.err()).isZero();

    Map<String, ConsumerRecord<byte[], byte[]>> lastByKey = new HashMap<>();
    List<ConsumerRecord<byte[], byte[]>> records =
        KafkaStoreTestSupport.rawRecords(clusters.kafka(), keyTopic);
    records.forEach(r -> lastByKey.put(new String(r.key(), StandardCharsets.UTF_8), r));
    Map<String, ConsumerRecord<byte[], byte[]>> forgotten = new HashMap<>();
    Map<String, ConsumerRecord<byte[], byte[]>> kept = new HashMap<>();
    lastByKey.forEach(
        (key, last) -> {
          if (key.contains("\"subject\":\"customer-41\"")) {
            forgotten.put(key, last);
          } else if (key.contains("\"subject\":\"customer-42\"")) {
            kept.put(key, last);
          }
        });
    assertThat(forgotten).isNotEmpty();
    assertThat(forgotten.values()).allSatisfy(last -> assertThat(last.value()).isNull());
    assertThat(kept).isNotEmpty();
    assertThat(kept.values()).allSatisfy(last -> assertThat(last.value()).isNotNull());
    // Every record of the forgotten subject, its earlier soft delete included, is superseded.
    assertThat(
            records.stream()
                .filter(r -> forgotten.containsKey(new String(r.key(), StandardCharsets.UTF_8)))
                .count())
        .isGreaterThanOrEqualTo(3);
  }
}
