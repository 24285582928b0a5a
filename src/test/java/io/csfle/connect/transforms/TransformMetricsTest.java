package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.sourceRecord;
import static io.csfle.connect.transforms.TransformFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testing.LeakWatch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TransformMetricsTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final Map<String, String> TASK_TAGS =
      Map.of("connector", "orders-source", "task", "0", "transformation", "encrypt");

  private final InMemoryDekRegistryServer registry =
      InMemoryDekRegistryServer.start(Mode.CONFLUENT);

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void recordsFailuresAndPassThroughs_areCountedAndPublished() {
    Map<String, String> config = config(registry, "email");
    EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config);
    config.put("decrypt.on.failure", "passthrough");
    DecryptField<SinkRecord> decrypt = TransformFixtures.decryptValue(config);
    CollectingPluginMetrics encryptMetrics = new CollectingPluginMetrics();
    CollectingPluginMetrics decryptMetrics = new CollectingPluginMetrics();
    encrypt.withPluginMetrics(encryptMetrics);
    decrypt.withPluginMetrics(decryptMetrics);
    try {
      SourceRecord encrypted =
          encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(1, "a@b.c", null)));
      encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(2, "d@e.f", null)));
      decrypt.apply(asSinkRecord(encrypted));
      Struct notCiphertext = ((Struct) encrypted.value());
      decrypt.apply(
          asSinkRecord(
              new SourceRecord(
                  null,
                  null,
                  "customers",
                  0,
                  notCiphertext.schema(),
                  copyWithEmail(notCiphertext, "plain"))));
      EncryptField<SourceRecord> bad = TransformFixtures.encryptValue(config(registry, "emial"));
      CollectingPluginMetrics badMetrics = new CollectingPluginMetrics();
      bad.withPluginMetrics(badMetrics);
      assertThatThrownBy(
              () -> bad.apply(sourceRecord(TransformFixtures.VALUE, value(3, "x@y.z", null))))
          .isInstanceOf(DataException.class);
      bad.close();

      assertThat(encryptMetrics.value("records-total")).isEqualTo(2L);
      assertThat(encryptMetrics.value("failures-total")).isEqualTo(0L);
      assertThat(decryptMetrics.value("records-total")).isEqualTo(2L);
      assertThat(decryptMetrics.value("passthrough-fields-total")).isEqualTo(1L);
      assertThat(badMetrics.value("failures-total")).isEqualTo(1L);
      // One wrap when the writer created the DEK, one unwrap for the reader: none per record.
      assertThat(encryptMetrics.value("kms-calls-total")).isEqualTo(1L);
      assertThat(decryptMetrics.value("kms-calls-total")).isEqualTo(1L);
      assertThat(decryptMetrics.value("kms-failures-total")).isEqualTo(0L);
    } finally {
      encrypt.close();
      decrypt.close();
    }
  }

  private static Struct copyWithEmail(Struct value, String email) {
    Struct copy = new Struct(value.schema());
    value.schema().fields().forEach(f -> copy.put(f, value.get(f)));
    return copy.put("email", email);
  }

  @Test
  void recordTimes_arePublishedAsAverageAndMaximumInMicroseconds() {
    TransformMetrics metrics = new TransformMetrics();
    CollectingPluginMetrics published = new CollectingPluginMetrics(TASK_TAGS);
    metrics.register(published, "encrypted");

    metrics.recordTime(2_000);
    metrics.recordTime(4_000);
    assertThat((Double) published.value("record-time-us-avg")).isEqualTo(3.0);
    assertThat((Double) published.value("record-time-us-max")).isEqualTo(4.0);

    metrics.recordTime(12_000);
    assertThat((Double) published.value("record-time-us-avg")).isEqualTo(6.0);
    assertThat((Double) published.value("record-time-us-max")).isEqualTo(12.0);
    assertThat(metrics.averageMicros()).isEqualTo(6.0);
    assertThat(metrics.maxMicros()).isEqualTo(12.0);
  }

  @Test
  void recordTimeGauges_reportTheLastClosedWindowWhileTheSummaryKeepsAll() {
    AtomicLong clock = new AtomicLong();
    TransformMetrics metrics = new TransformMetrics(clock::get);
    CollectingPluginMetrics published = new CollectingPluginMetrics(TASK_TAGS);
    metrics.register(published, "decrypted");
    metrics.recordTime(90_000);
    clock.set(RecordTimes.WINDOW_NANOS);
    assertThat((Double) published.value("record-time-us-max")).isEqualTo(90.0);

    metrics.recordTime(10_000);
    metrics.recordTime(20_000);
    clock.set(2 * RecordTimes.WINDOW_NANOS);

    assertThat((Double) published.value("record-time-us-avg")).isEqualTo(15.0);
    assertThat((Double) published.value("record-time-us-max")).isEqualTo(20.0);
    assertThat(metrics.averageMicros()).isEqualTo(40.0);
    assertThat(metrics.maxMicros()).isEqualTo(90.0);
  }

  @Test
  void twoTasksOfOneWorker_keepTheirOwnRecordTimes() {
    TransformMetrics first = new TransformMetrics();
    TransformMetrics second = new TransformMetrics();
    CollectingPluginMetrics firstPublished = new CollectingPluginMetrics(TASK_TAGS);
    CollectingPluginMetrics secondPublished =
        new CollectingPluginMetrics(
            Map.of("connector", "orders-source", "task", "1", "transformation", "encrypt"));
    first.register(firstPublished, "encrypted");
    second.register(secondPublished, "encrypted");

    first.recordTime(1_000);
    second.recordTime(9_000);

    assertThat((Double) firstPublished.value("record-time-us-max")).isEqualTo(1.0);
    assertThat((Double) secondPublished.value("record-time-us-max")).isEqualTo(9.0);
  }

  @Test
  void encryptAndDecrypt_timeEachRecordTheyRewrite() {
    Map<String, String> config = config(registry, "email");
    EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config);
    DecryptField<SinkRecord> decrypt = TransformFixtures.decryptValue(config);
    CollectingPluginMetrics encryptMetrics = new CollectingPluginMetrics(TASK_TAGS);
    CollectingPluginMetrics decryptMetrics = new CollectingPluginMetrics();
    encrypt.withPluginMetrics(encryptMetrics);
    decrypt.withPluginMetrics(decryptMetrics);
    try {
      assertThat((Double) encryptMetrics.value("record-time-us-avg")).isNaN();
      SourceRecord encrypted =
          encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(1, "a@b.c", null)));
      double firstMax = (Double) encryptMetrics.value("record-time-us-max");
      // The first record creates the DEK through the KMS: it is the slowest.
      assertThat(firstMax).isPositive();
      encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(2, "d@e.f", null)));
      decrypt.apply(asSinkRecord(encrypted));

      assertThat((Double) encryptMetrics.value("record-time-us-avg"))
          .isPositive()
          .isLessThanOrEqualTo(firstMax);
      assertThat((Double) encryptMetrics.value("record-time-us-max"))
          .isGreaterThanOrEqualTo(firstMax);
      assertThat((Double) decryptMetrics.value("record-time-us-avg")).isPositive();
      assertThat(encrypt.metrics.averageMicros()).isPositive();
    } finally {
      encrypt.close();
      decrypt.close();
    }
  }

  @Test
  void close_logsOneSummaryLinePerTaskWithoutValues() {
    leaks.plaintext("summary-first@example.com").plaintext("summary-second@example.com");
    EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config(registry, "email"));
    encrypt.withPluginMetrics(
        new CollectingPluginMetrics(
            Map.of("connector", "summary-source", "task", "3", "transformation", "encrypt")));
    encrypt.apply(
        sourceRecord(TransformFixtures.VALUE, value(1, "summary-first@example.com", null)));
    encrypt.apply(
        sourceRecord(TransformFixtures.VALUE, value(2, "summary-second@example.com", null)));

    encrypt.close();
    // The capture may see one event through more than one logger config: compare counts.
    List<String> afterFirstClose = summaryLines("summary-source");
    encrypt.close();

    assertThat(afterFirstClose).isNotEmpty();
    assertThat(afterFirstClose.stream().distinct()).hasSize(1);
    assertThat(summaryLines("summary-source")).isEqualTo(afterFirstClose);
    assertThat(afterFirstClose.get(0))
        .contains("EncryptField$Value summary")
        .contains("task=3")
        .contains("transformation=encrypt")
        .contains("2 records encrypted, 0 failed")
        .containsPattern("[0-9]+\\.[0-9] us average and [0-9]+\\.[0-9] us maximum per record");
  }

  @Test
  void closeOfAnUnconfiguredTransform_logsNoSummary() {
    EncryptField<SourceRecord> unconfigured = new EncryptField.Value<>();
    unconfigured.withPluginMetrics(
        new CollectingPluginMetrics(
            Map.of("connector", "never-started", "task", "0", "transformation", "encrypt")));

    unconfigured.close();

    assertThat(summaryLines("never-started")).isEmpty();
  }

  private static List<String> summaryLines(String marker) {
    return leaks.lines().stream()
        .filter(line -> line.contains(" summary") && line.contains(marker))
        .toList();
  }
}
