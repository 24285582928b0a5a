package io.csfle.connect.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void statLine_nameAndTicksReadAroundParenthesesInTheName() {
    String stat =
        "4242 (task-thread-a) b)) R 1 1 1 0 -1 4194304 151 0 0 0 317 25 0 0 20 0 1 0 7423984";

    assertThat(ThreadCpu.name(stat)).isEqualTo("task-thread-a) b)");
    assertThat(ThreadCpu.ticks(stat)).isEqualTo(342);
  }

  @Test
  void threadNames_fallIntoTheirGroups() {
    assertThat(ThreadCpu.group("task-thread-ben")).isEqualTo("task");
    assertThat(ThreadCpu.group("kafka-producer-")).isEqualTo("producer-io");
    assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("gc");
    assertThat(ThreadCpu.group("G1 Conc#0")).isEqualTo("gc");
    assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("jit");
    assertThat(ThreadCpu.group("DistributedHerd")).isEqualTo("other");
  }

  @Test
  void busyTaskThread_isCountedInTheTaskGroup() throws InterruptedException {
    assumeThat(Files.isDirectory(Path.of("/proc/self/task"))).isTrue();
    Map<String, Long> before = ThreadCpu.byGroup();
    Thread busy =
        new Thread(
            () -> {
              long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
              long spin = 0;
              while (System.nanoTime() < until) {
                spin++;
              }
              assertThat(spin).isPositive();
            },
            "task-thread-cpu-test");
    busy.start();
    // Read while the thread is alive: an ended thread leaves /proc/self/task.
    Thread.sleep(250);
    Map<String, Long> during = ThreadCpu.difference(ThreadCpu.byGroup(), before);
    busy.join();

    assertThat(during).containsOnlyKeys(ThreadCpu.GROUPS);
    assertThat(during.get("task")).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
  }
}
