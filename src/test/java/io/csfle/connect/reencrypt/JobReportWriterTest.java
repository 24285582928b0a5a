package io.csfle.connect.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class JobReportWriterTest {
  private static final String TOPIC = "orders.report";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  private JobReportWriter writerOver(List<ConsumerRecord<byte[], byte[]>> existing) {
    Node node = new Node(0, "localhost", 9092);
    consumer.updatePartitions(
        TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
    consumer.updateBeginningOffsets(Map.of(TP, 0L));
    consumer.updateEndOffsets(Map.of(TP, (long) existing.size()));
    consumer.schedulePollTask(() -> existing.forEach(consumer::addRecord));
    return new JobReportWriter(TOPIC, Map.of(), c -> consumer, p -> producer);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String value) {
    return new ConsumerRecord<>(
        TOPIC, 0, offset, key == null ? null : utf8(key), value == null ? null : utf8(value));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void noSummaryOfThisRunYet_writesOneKeyedJob() {
    JobReportWriter writer =
        writerOver(
            List.of(
                record(0, null, "\"{\\\"task\\\":\\\"task 0\\\"}\""),
                record(1, "job", "{\"job\":\"orders-job\",\"run\":\"old-run\"}"),
                record(2, "job", "{\"job\":\"other-job\",\"run\":\"r1\"}")));

    boolean done = writer.publish("orders-job", "r1", "{\"job\":\"orders-job\",\"run\":\"r1\"}");

    assertThat(done).isTrue();
    assertThat(producer.history())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.topic()).isEqualTo(TOPIC);
              assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("job");
              assertThat(new String(r.value(), StandardCharsets.UTF_8))
                  .isEqualTo("{\"job\":\"orders-job\",\"run\":\"r1\"}");
            });
  }

  @Test
  void summaryOfThisRunAlreadyThere_isNotWrittenAgain() {
    JobReportWriter writer =
        writerOver(List.of(record(0, "job", "{\"job\":\"orders-job\",\"run\":\"r1\",\"x\":1}")));

    assertThat(writer.publish("orders-job", "r1", "{}")).isTrue();
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void sendFails_reportsNotDoneSoTheWatcherTriesAgain() {
    MockProducer<byte[], byte[]> failing =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    writerOver(List.of());
    JobReportWriter writer = new JobReportWriter(TOPIC, Map.of(), c -> consumer, p -> failing);
    Thread errorAfterSend =
        new Thread(
            () -> {
              while (failing.history().isEmpty()) {
                Thread.onSpinWait();
              }
              failing.errorNext(new org.apache.kafka.common.errors.TimeoutException("test"));
            });
    errorAfterSend.start();

    assertThat(writer.publish("orders-job", "r1", "{}")).isFalse();
  }
}
