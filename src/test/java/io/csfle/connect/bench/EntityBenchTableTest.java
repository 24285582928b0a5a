package io.csfle.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityBenchTableTest {
  @Test
  void throughputRow_givesRecordsPerSecondAndMicrosPerRecord() {
    EntityBenchTable table = new EntityBenchTable();
    table.throughput("per-topic keys", 200_000, 2_500_000_000L, "");
    assertThat(table.markdown())
        .contains("| per-topic keys | 200,000 records | 80,000 records/s, 12.50 µs/record |");
  }

  @Test
  void callsRow_scalesToAMillionEntities() {
    EntityBenchTable table = new EntityBenchTable();
    table.callsPerMillion("KMS calls", 1, 250_000);
    assertThat(table.markdown()).contains("| 250,000 new entities | 1 (4.0 per 1,000,000");
  }

  @Test
  void heapRow_dividesByKeys() {
    EntityBenchTable table = new EntityBenchTable();
    table.heapPerKey("cache", 3_000_000, 20_000);
    assertThat(table.markdown()).contains("3,000,000 bytes, 150 bytes per key");
  }

  @Test
  void emptyIntervals_giveZeroNotAnError() {
    assertThat(EntityBenchTable.recordsPerSecond(10, 0)).isZero();
    assertThat(EntityBenchTable.microsPer(10, 0)).isZero();
    assertThat(EntityBenchTable.perMillion(3, 0)).isZero();
  }
}
