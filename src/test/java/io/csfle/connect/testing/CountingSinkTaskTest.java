package io.csfle.connect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountingSinkTaskTest {
  @TempDir Path dir;

  @Test
  void lastExpectedRecord_writesTheReportOfAllButTheFirstTenth() throws IOException {
    Path report = dir.resolve("run.report");
    CountingSinkTask task = new CountingSinkTask();
    task.start(Map.of("records", "100", "report.file", report.toString()));

    task.put(records(10)); // the first tenth: the measurement starts after it
    for (int i = 0; i < 8; i++) {
      task.put(records(10));
    }
    task.put(List.of());
    assertThat(report).doesNotExist();
    task.put(records(10));

    List<String> lines = Files.readAllLines(report);
    assertThat(lines).hasSize(3 + ThreadCpu.GROUPS.size()).first().isEqualTo("records=90");
    assertThat(Long.parseLong(lines.get(1).replace("elapsed.ns=", ""))).isPositive();
    assertThat(Long.parseLong(lines.get(2).replace("cpu.ns=", ""))).isNotNegative();
    assertThat(lines.subList(3, lines.size()))
        .allMatch(line -> line.matches("cpu\\.(task|producer-io|gc|jit|other)\\.ns=-?[0-9]+"));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(report);
    }
  }

  private static List<SinkRecord> records(int count) {
    List<SinkRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(new SinkRecord("t", 0, null, null, null, "v" + i, i));
    }
    return records;
  }
}
