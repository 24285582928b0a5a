package io.csfle.connect.reencrypt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the job summary to the report topic as UTF-8 JSON with key {@value #KEY}, once per job
 * run: before writing it reads the topic and leaves it alone when a summary of the same job and run
 * is already there (a connector restarted or moved after completion).
 */
final class JobReportWriter implements JobCompletionWatcher.SummarySink {
  private static final Logger log = LoggerFactory.getLogger(JobReportWriter.class);
  static final String KEY = "job";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final Map<String, Object> clientProps;
  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  private final Function<Map<String, Object>, Producer<byte[], byte[]>> producers;

  JobReportWriter(
      String topic,
      Map<String, Object> clientProps,
      Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers,
      Function<Map<String, Object>, Producer<byte[], byte[]>> producers) {
    this.topic = topic;
    this.clientProps = clientProps;
    this.consumers = consumers;
    this.producers = producers;
  }

  static JobReportWriter forConfig(
      ReencryptSourceConfig config,
      Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers) {
    return new JobReportWriter(
        config.reportTopic(), config.targetAdminProps(), consumers, KafkaProducer::new);
  }

  @Override
  public boolean publish(String job, String run, String json) {
    try {
      if (alreadyWritten(job, run)) {
        log.info("Re-encryption job '{}': summary of run {} is already in '{}'", job, run, topic);
        return true;
      }
      Map<String, Object> props = new HashMap<>(clientProps);
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      try (Producer<byte[], byte[]> producer = producers.apply(props)) {
        producer
            .send(new ProducerRecord<>(topic, utf8(KEY), utf8(json)))
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      log.info("Re-encryption job '{}': summary written to '{}'", job, topic);
      return true;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn(
          "Re-encryption job '{}': could not write the summary to '{}' ({}); will retry",
          job,
          topic,
          e.getClass().getSimpleName());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean alreadyWritten(String job, String run) {
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    ClientProps.readRawBytes(props);
    String jobField = "\"job\":\"" + JobCompletionWatcher.escape(job) + "\"";
    String runField = "\"run\":\"" + run + "\"";
    try (Consumer<byte[], byte[]> consumer = consumers.apply(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, TIMEOUT).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!reached(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading the report topic timed out");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && KEY.equals(text(r.key())) && r.value() != null) {
            String value = text(r.value());
            if (value.contains(jobField) && value.contains(runField)) {
              return true;
            }
          }
        }
      }
      return false;
    }
  }

  private static boolean reached(
      Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (consumer.position(e.getKey(), TIMEOUT) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {}
}
