package io.csfle.connect.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.transforms.CollectingPluginMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReencryptProgressTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private static final TopicPartition P1 = new TopicPartition("orders", 1);

  @Test
  void counts_arePublishedAsPluginMetricsAndSummarisedPerPartition() {
    AtomicLong clock = new AtomicLong(1_000);
    ReencryptProgress progress = new ReencryptProgress("task 0", Duration.ofSeconds(1), clock::get);
    CollectingPluginMetrics metrics = new CollectingPluginMetrics();
    progress.register(metrics);
    progress.addTotal(P0, 3);
    progress.addTotal(P1, 2);

    progress.reencrypted(P0, Map.of(1, 2));
    progress.reencrypted(P0, Map.of(1, 1, 2, 1));
    progress.skipped(P1);
    progress.failed(P1);
    clock.addAndGet(2_000);

    assertThat(metrics.value("records-total")).isEqualTo(5L);
    assertThat(metrics.value("records-done")).isEqualTo(4L);
    assertThat(metrics.value("reencrypted-total")).isEqualTo(2L);
    assertThat(metrics.value("skipped-total")).isEqualTo(1L);
    assertThat(metrics.value("failed-total")).isEqualTo(1L);
    assertThat(metrics.value("records-per-second")).isEqualTo(2L);
    assertThat(metrics.value("complete")).isEqualTo(0L);
    progress.complete();
    assertThat(metrics.value("complete")).isEqualTo(1L);
    assertThat(progress.summaryJson())
        .isEqualTo(
            "{\"task\":\"task 0\",\"complete\":true,\"records\":4,\"reencrypted\":2,\"skipped\":1,"
                + "\"failed\":1,\"sourceDekVersions\":{\"1\":2,\"2\":1},\"partitions\":["
                + "{\"topic\":\"orders\",\"partition\":0,\"reencrypted\":2,\"skipped\":0,\"failed\":0},"
                + "{\"topic\":\"orders\",\"partition\":1,\"reencrypted\":0,\"skipped\":1,\"failed\":1}]}");
  }

  @Test
  void withoutPluginMetrics_registeringIsANoOp() {
    ReencryptProgress progress = new ReencryptProgress("task 1", Duration.ofSeconds(1), () -> 0L);
    progress.register(null);
    progress.skipped(P0);
    assertThat(progress.skippedCount()).isEqualTo(1);
  }
}
