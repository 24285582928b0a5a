package io.csfle.connect.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.kafka.KafkaStoreTestSupport;
import io.csfle.connect.testkit.ClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
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

  /**
   * The broker's own log cleaner, on a key topic with tiny segments: after forget and compaction no
   * record of the key topic names the forgotten entity (no key, no tombstone), while the other
   * customer's entity key is still there and decrypts.
   */
  @Test
  void forgetThenLogCleaner_leavesNoRecordOfTheEntity_otherCustomerStillDecrypts()
      throws Exception {
    clusters
        .kafka()
        .createTopic(
            keyTopic,
            1,
            1,
            Map.of(
                "cleanup.policy", "compact",
                "segment.ms", "100",
                "min.cleanable.dirty.ratio", "0.0001",
                "min.compaction.lag.ms", "0",
                "delete.retention.ms", "100"));
    transform.remove("dek.entity.wrap"); // entity keys under ops_kek-entities, the default
    config = AdminCli.properties(dir, transform);
    encrypted("41");
    Struct bob = encrypted("42");
    assertThat(recordsNaming("customer-41")).isNotEmpty();

    assertThat(admin("forget", "customer-41")).as(result.err()).isZero();

    // Writes roll the segment (segment.ms), so the cleaner may compact it, then drop the
    // tombstones once delete.retention.ms has passed.
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int filler = 100;
    while (!recordsNaming("customer-41").isEmpty()) {
      assertThat(System.nanoTime())
          .as("log cleaner did not remove the entity")
          .isLessThan(deadline);
      Thread.sleep(300);
      encrypted(Integer.toString(filler++));
    }
    assertThat(recordsNaming("customer-42")).isNotEmpty();
    assertThat(decrypted(bob)).isEqualTo("42@example.com");
  }

  private List<ConsumerRecord<byte[], byte[]>> recordsNaming(String subject) {
    String marker = "\"subject\":\"" + subject + "\"";
    return KafkaStoreTestSupport.rawRecords(clusters.kafka(), keyTopic).stream()
        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).contains(marker))
        .toList();
  }
}
