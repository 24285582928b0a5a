package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testkit.TestRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One EncryptField and one DecryptField instance shared by many threads, records of several topics
 * interleaved: each field must end up under the DEK of its own topic's subject, and decrypt back to
 * its own plaintext. Connect runs one instance per task, but nothing stops a caller (or a future
 * runtime) from sharing one; shared per-record state would then put fields under another topic's
 * key.
 */
class SharedTransformConcurrencyAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final int THREADS = 8;
  private static final int RECORDS_PER_THREAD = 1_500;
  private static final List<String> TOPICS = List.of("orders", "payments", "users", "audit");
  private static final Schema VALUE =
      SchemaBuilder.struct()
          .name("Row")
          .field("id", Schema.INT64_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  private InMemoryDekRegistryServer registry;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void startRegistry() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    registry.close();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void oneInstanceManyThreadsManyTopics_everyFieldUnderItsOwnTopicsDek() throws Exception {
    EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config(registry, "email"));
    DecryptField<SinkRecord> decrypt = TransformFixtures.decryptValue(config(registry, "email"));
    opened.add(encrypt);
    opened.add(decrypt);
    // Verifiers bound to one subject each, used by one thread: they open only that subject's DEK.
    Map<String, DecryptField<SinkRecord>> verifierByTopic = new HashMap<>();
    for (String topic : TOPICS) {
      Map<String, String> verifierConfig = config(registry, "email");
      verifierConfig.put("dek.subject", topic + "-value");
      DecryptField<SinkRecord> verifier = TransformFixtures.decryptValue(verifierConfig);
      opened.add(verifier);
      verifierByTopic.put(topic, verifier);
    }

    ConcurrentLinkedQueue<SinkRecord> encrypted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < RECORDS_PER_THREAD; i++) {
                    long id = thread * 1_000_000L + i;
                    String topic = TOPICS.get((thread + i) % TOPICS.size());
                    SinkRecord out = asSink(encrypt.apply(record(topic, id)), id);
                    encrypted.add(out);
                    Struct back = (Struct) decrypt.apply(out).value();
                    if (!emailOf(topic, id).equals(back.getString("email"))) {
                      problems.add("shared decrypt of " + topic + "/" + id + " gave another value");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(100, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(problems).isEmpty();
    assertThat(encrypted).hasSize(THREADS * RECORDS_PER_THREAD);
    for (SinkRecord record : encrypted) {
      Struct plain = (Struct) verifierByTopic.get(record.topic()).apply(record).value();
      assertThat(plain.getString("email")).isEqualTo(emailOf(record.topic(), record.kafkaOffset()));
    }
  }

  private static SourceRecord record(String topic, long id) {
    Struct value = new Struct(VALUE).put("id", id).put("email", emailOf(topic, id));
    return TestRecords.source(topic, VALUE, value);
  }

  private static String emailOf(String topic, long id) {
    return topic + "-" + id + "@example.com";
  }

  private static SinkRecord asSink(SourceRecord r, long offset) {
    return TestRecords.asSink(r, 0, offset);
  }
}
