package io.csfle.connect.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Transform/raw-Tink ratios measured in slices that alternate within one JVM: each pair of {@link
 * BenchmarkReport#PAIRS} runs transform and twin turn about, {@code bench.sliceMillis} (default
 * 100) each, and every slice pair gives a ratio of thread CPU time per record. When other processes
 * load the machine, JMH's paired rounds still measure a transform and its twin some seconds apart,
 * under whatever load each second had; two slices a tenth of a second apart see nearly the same
 * load. The median of the slice ratios is printed per pair. Less rigorous than JMH (no forks, one
 * JVM for all pairs, dead code kept alive by a Blackhole), so it is a cross-check, not the
 * headline: run it with {@code java -cp ... io.csfle.connect.bench.InterleavedRatios [pairs
 * regexp]}.
 */
public final class InterleavedRatios {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private InterleavedRatios() {}

  /** One op of a benchmark method. */
  private interface Op {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String regexp = args.length > 0 ? args[0] : ".*";
    long sliceNanos = Long.getLong("bench.sliceMillis", 100) * 1_000_000L;
    int slices = Integer.getInteger("bench.slices", 100);
    int warmupSlices = Integer.getInteger("bench.warmupSlices", 30);
    FieldEncryptionBenchmark b = new FieldEncryptionBenchmark();
    b.setUp();
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is"
                + " dangerous.");
    try {
      for (BenchmarkReport.Pair pair : BenchmarkReport.PAIRS) {
        if (!pair.transform().matches(regexp)) {
          continue;
        }
        Op transform = op(b, bh, pair.transform());
        Op raw = op(b, bh, pair.raw());
        for (int i = 0; i < warmupSlices; i++) {
          cpuNanosPerOp(transform, sliceNanos);
          cpuNanosPerOp(raw, sliceNanos);
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
          boolean transformFirst = i % 2 == 0;
          double first = cpuNanosPerOp(transformFirst ? transform : raw, sliceNanos);
          double second = cpuNanosPerOp(transformFirst ? raw : transform, sliceNanos);
          double transformNanos = transformFirst ? first : second;
          double rawNanos = transformFirst ? second : first;
          ratios.add(rawNanos / transformNanos);
        }
        ratios.sort(null);
        System.out.printf(
            Locale.ROOT,
            "%-30s interleaved CPU ratio: median %.1f %% (quartiles %.1f-%.1f %%, %d slice pairs)%n",
            pair.label(),
            100 * ratios.get(ratios.size() / 2),
            100 * ratios.get(ratios.size() / 4),
            100 * ratios.get(3 * ratios.size() / 4),
            ratios.size());
      }
    } finally {
      b.tearDown();
      bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }
  }

  /** Runs {@code op} for about {@code sliceNanos} of wall time; thread CPU nanoseconds per op. */
  private static double cpuNanosPerOp(Op op, long sliceNanos) throws Exception {
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    long wallEnd = System.nanoTime() + sliceNanos;
    long ops = 0;
    do {
      for (int i = 0; i < 64; i++) {
        op.run();
      }
      ops += 64;
    } while (System.nanoTime() < wallEnd);
    return (double) (THREADS.getCurrentThreadCpuTime() - cpuStart) / ops;
  }

  private static Op op(FieldEncryptionBenchmark b, Blackhole bh, String name) {
    return switch (name) {
      case "encryptFieldSmt" -> () -> bh.consume(b.encryptFieldSmt());
      case "decryptFieldSmt" -> () -> bh.consume(b.decryptFieldSmt());
      case "rawTinkEncrypt3" -> () -> b.rawTinkEncrypt3(bh);
      case "rawTinkDecrypt3" -> () -> b.rawTinkDecrypt3(bh);
      case "encryptMapSmt" -> () -> bh.consume(b.encryptMapSmt());
      case "decryptMapSmt" -> () -> bh.consume(b.decryptMapSmt());
      case "rawTinkEncryptMap3" -> () -> b.rawTinkEncryptMap3(bh);
      case "rawTinkDecryptMap3" -> () -> b.rawTinkDecryptMap3(bh);
      case "encrypt1KiBSmt" -> () -> bh.consume(b.encrypt1KiBSmt());
      case "decrypt1KiBSmt" -> () -> bh.consume(b.decrypt1KiBSmt());
      case "rawTinkEncrypt1KiB" -> () -> b.rawTinkEncrypt1KiB(bh);
      case "rawTinkDecrypt1KiB" -> () -> b.rawTinkDecrypt1KiB(bh);
      default -> throw new IllegalArgumentException("No benchmark method " + name);
    };
  }
}
