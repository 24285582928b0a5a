package io.csfle.connect.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measurement of one benchmark pipeline run, taken inside the Connect worker: from the first
 * record a task handles to the {@code expected}-th, the wall time and the CPU time of the whole
 * worker process (every thread: task, producer, consumer, GC, JIT), and that CPU time split by
 * thread group ({@link ThreadCpu}). When the last record is counted it writes {@code records},
 * {@code elapsed.ns}, {@code cpu.ns} and {@code cpu.<group>.ns} to the report file in one atomic
 * move, so that a script polling for the file never reads half of it.
 */
public final class PipelineProgress {
  private final Path report;
  private final long expected;
  private final long unmeasured;
  private final AtomicLong counted = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile long startCount;
  private volatile long startNanos;
  private volatile long startCpuNanos;
  private volatile Map<String, Long> startThreadCpu = Map.of();

  public PipelineProgress(Path report, long expected) {
    this.report = report;
    this.expected = expected;
    this.unmeasured = expected / 10;
  }

  /**
   * Counts {@code records} more handled records; starts the measurement after the first tenth and
   * writes the report on reaching the target.
   */
  public void add(long records) {
    long total = counted.addAndGet(records);
    if (total >= unmeasured && started.compareAndSet(false, true)) {
      startCount = total;
      startThreadCpu = ThreadCpu.byGroup();
      startCpuNanos = processCpuNanos();
      startNanos = System.nanoTime();
    }
    if (total >= expected && started.get() && finished.compareAndSet(false, true)) {
      long elapsed = System.nanoTime() - startNanos;
      long cpu = processCpuNanos() - startCpuNanos;
      Map<String, Long> threads = ThreadCpu.difference(ThreadCpu.byGroup(), startThreadCpu);
      write(total - startCount, elapsed, cpu, threads);
    }
  }

  public long counted() {
    return counted.get();
  }

  private void write(
      long records, long elapsedNanos, long cpuNanos, Map<String, Long> threadCpuNanos) {
    StringBuilder text =
        new StringBuilder(
            "records=" + records + "\nelapsed.ns=" + elapsedNanos + "\ncpu.ns=" + cpuNanos + "\n");
    threadCpuNanos.forEach(
        (group, nanos) ->
            text.append("cpu.").append(group).append(".ns=").append(nanos).append('\n'));
    try {
      Path parent = report.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path partial = Files.createTempFile(parent, report.getFileName().toString(), ".partial");
      Files.writeString(partial, text, StandardCharsets.UTF_8);
      Files.move(partial, report, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the benchmark report " + report, e);
    }
  }

  /** CPU time of this whole JVM process so far. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
