package io.csfle.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldEncryptionBenchmarkTest {
  @Test
  void recordCount_acceptsPowersOfTwoFrom16_andRejectsOthers() {
    assertThat(FieldEncryptionBenchmark.recordCount(16)).isEqualTo(16);
    assertThat(FieldEncryptionBenchmark.recordCount(16384)).isEqualTo(16384);
    for (int bad : new int[] {0, 8, 100, -16}) {
      assertThatThrownBy(() -> FieldEncryptionBenchmark.recordCount(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bench.records");
    }
  }

  @Test
  void asMap_givesEachRecordKeysOfItsOwn_asJsonConverterDoes() {
    Map<String, Object> first =
        FieldEncryptionBenchmark.asMap(FieldEncryptionBenchmark.customer(1));
    Map<String, Object> second =
        FieldEncryptionBenchmark.asMap(FieldEncryptionBenchmark.customer(2));

    String firstKey = first.keySet().stream().filter("email"::equals).findFirst().orElseThrow();
    String secondKey = second.keySet().stream().filter("email"::equals).findFirst().orElseThrow();
    assertThat(firstKey).isNotSameAs(secondKey).isNotSameAs("email");
    assertThat(first).hasSize(10).containsEntry("email", "customer.0001@example-corp.com");
  }

  @Test
  void forkJvmArgs_passTheRecordCountOnOnlyWhenSet() {
    String previous = System.getProperty("bench.records");
    try {
      System.clearProperty("bench.records");
      assertThat(List.of(BenchmarkReport.forkJvmArgs()))
          .noneMatch(arg -> arg.startsWith("-Dbench.records"));
      System.setProperty("bench.records", "16384");
      assertThat(List.of(BenchmarkReport.forkJvmArgs()))
          .contains("-Dbench.records=16384")
          .containsAll(List.of(BenchmarkReport.FORK_HEAP.split(" ")));
    } finally {
      if (previous == null) {
        System.clearProperty("bench.records");
      } else {
        System.setProperty("bench.records", previous);
      }
    }
  }
}
