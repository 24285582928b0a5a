package io.csfle.connect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplaySourceTaskTest {
  private static final String SOURCE = "bench.customers";

  @TempDir Path dir;

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final List<Map<String, Object>> consumerProps = new ArrayList<>();

  @Test
  void twoPartitions_replaysEachRowAsASchemalessMapUntilTheCountIsReached() throws Exception {
    ReplaySourceTask task = started(3);
    addRow(0, 0, "c-1", "{\"id\":1,\"email\":\"a@example.com\"}");
    addRow(1, 0, "c-2", "{\"id\":2,\"email\":\"b@example.com\"}");
    addRow(0, 1, null, "{\"id\":3,\"email\":\"c@example.com\"}");
    addRow(1, 1, "c-4", "{\"id\":4,\"email\":\"d@example.com\"}");

    List<SourceRecord> replayed = task.poll();

    assertThat(consumerProps)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .containsEntry("bootstrap.servers", "localhost:1")
                    .containsEntry("enable.auto.commit", "false"));
    assertThat(consumer.assignment())
        .containsExactlyInAnyOrder(new TopicPartition(SOURCE, 0), new TopicPartition(SOURCE, 1));
    assertThat(replayed).hasSize(3);
    assertThat(replayed)
        .allSatisfy(
            r -> {
              assertThat(r.topic()).isEqualTo("bench.out");
              assertThat(r.valueSchema()).isNull();
              assertThat(r.value()).isInstanceOf(Map.class);
            });
    assertThat(replayed.get(0).key()).isEqualTo("c-1");
    assertThat(((Map<?, ?>) replayed.get(0).value()).get("email")).isEqualTo("a@example.com");
    assertThat(replayed.get(0).sourcePartition())
        .isEqualTo(Map.of("topic", SOURCE, "partition", 0));
    assertThat(replayed.get(0).sourceOffset()).isEqualTo(Map.of("offset", 0L));
    assertThat(replayed).extracting(SourceRecord::key).contains((Object) null);

    assertThat(task.poll()).isNull(); // the count is reached: nothing more, even with rows left
    task.stop();
  }

  @Test
  void acknowledgedRecords_writeTheReportOnTheLastOneOnly() throws Exception {
    Path report = dir.resolve("source.report");
    ReplaySourceTask task = started(20);
    for (int i = 0; i < 20; i++) {
      addRow(0, i, "c-" + i, "{\"id\":" + i + "}");
    }
    List<SourceRecord> replayed = task.poll();
    assertThat(replayed).hasSize(20);

    task.commitRecord(replayed.get(0), null); // not acknowledged by the broker: not counted
    for (int i = 0; i < 19; i++) {
      task.commitRecord(replayed.get(i), metadata(i));
    }
    assertThat(report).doesNotExist();
    task.commitRecord(replayed.get(19), metadata(19));

    List<String> lines = Files.readAllLines(report);
    assertThat(lines.get(0)).isEqualTo("records=18"); // the first tenth is not measured
    task.stop();
  }

  @Test
  void stopped_pollReturnsNothingAndTheConsumerIsClosed() throws Exception {
    ReplaySourceTask task = started(5);
    addRow(0, 0, "c-1", "{\"id\":1}");

    task.stop();

    assertThat(consumer.closed()).isTrue();
    assertThat(task.poll()).isNull();
    task.stop(); // twice is harmless
  }

  private ReplaySourceTask started(long records) {
    consumer.updatePartitions(SOURCE, List.of(partition(0), partition(1)));
    Map<TopicPartition, Long> beginning = new HashMap<>();
    beginning.put(new TopicPartition(SOURCE, 0), 0L);
    beginning.put(new TopicPartition(SOURCE, 1), 0L);
    consumer.updateBeginningOffsets(beginning);
    ReplaySourceTask task =
        new ReplaySourceTask(
            props -> {
              consumerProps.add(props);
              return consumer;
            });
    task.start(
        Map.of(
            ReplaySourceConnector.SOURCE_BOOTSTRAP_CONFIG,
            "localhost:1",
            ReplaySourceConnector.SOURCE_TOPIC_CONFIG,
            SOURCE,
            ReplaySourceConnector.TOPIC_CONFIG,
            "bench.out",
            CountingSinkConnector.RECORDS_CONFIG,
            Long.toString(records),
            CountingSinkConnector.REPORT_FILE_CONFIG,
            dir.resolve("source.report").toString()));
    return task;
  }

  private void addRow(int partition, long offset, String key, String json) {
    consumer.addRecord(
        new ConsumerRecord<>(
            SOURCE,
            partition,
            offset,
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            json.getBytes(StandardCharsets.UTF_8)));
  }

  private static PartitionInfo partition(int p) {
    return new PartitionInfo(SOURCE, p, Node.noNode(), new Node[0], new Node[0]);
  }

  private static RecordMetadata metadata(long offset) {
    return new RecordMetadata(new TopicPartition("bench.out", 0), offset, 0, 0L, 0, 0);
  }
}
