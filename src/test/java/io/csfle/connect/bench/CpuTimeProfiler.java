package io.csfle.connect.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the forked JVM's CPU time per operation ({@code cpu.time.norm}, ns/op), like JMH's {@code
 * gc.alloc.rate.norm}. On a shared machine, wall-clock throughput drops whenever other processes
 * take the cores; CPU time per op mostly does not, so it compares benchmarks that ran at different
 * moments more fairly. It counts every thread of the fork: the benchmark thread, GC work caused by
 * its allocations, and (small after warmup) JIT and JMH housekeeping.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  static final String NORM = "cpu.time.norm";

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startCpuNanos;

  @Override
  public String getDescription() {
    return "Process CPU time per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    startCpuNanos = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpuNanos = os.getProcessCpuTime() - startCpuNanos;
    long ops = result.getMetadata() == null ? 0 : result.getMetadata().getAllOps();
    if (ops <= 0 || cpuNanos < 0) {
      return List.of();
    }
    return List.of(new ScalarResult(NORM, (double) cpuNanos / ops, "ns/op", AggregationPolicy.AVG));
  }
}
