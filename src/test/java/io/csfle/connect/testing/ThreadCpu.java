package io.csfle.connect.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time of this process's threads, summed by what they do, read from Linux's {@code
 * /proc/self/task/<tid>/stat}: unlike the JVM's thread bean, it sees the JVM's own threads too (GC
 * workers, JIT compilers), so that a pipeline benchmark can say where the CPU a transform adds
 * goes. Groups, by the thread's name: {@code task} (Connect's {@code task-thread-*}: the connector,
 * the transforms, the converters and the producer's send path), {@code producer-io} (the producer's
 * network threads), {@code gc}, {@code jit}, and {@code other}. Clock-tick resolution (10 ms); on a
 * system without {@code /proc} every group reads 0.
 */
public final class ThreadCpu {
  /** The groups, in the order reports print them. */
  public static final List<String> GROUPS = List.of("task", "producer-io", "gc", "jit", "other");

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

  private ThreadCpu() {}

  /** CPU nanoseconds used so far by the live threads of each group (every group present). */
  public static Map<String, Long> byGroup() {
    Map<String, Long> nanos = new LinkedHashMap<>();
    GROUPS.forEach(group -> nanos.put(group, 0L));
    if (!Files.isDirectory(TASKS)) {
      return nanos;
    }
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(TASKS)) {
      for (Path thread : threads) {
        String stat;
        try {
          stat = Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          continue; // the thread ended while we listed them
        }
        nanos.merge(group(name(stat)), ticks(stat) * NANOS_PER_TICK, Long::sum);
      }
    } catch (IOException e) {
      return nanos;
    }
    return nanos;
  }

  /** {@code after - before} for each group. */
  public static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
    Map<String, Long> difference = new LinkedHashMap<>();
    after.forEach((group, nanos) -> difference.put(group, nanos - before.getOrDefault(group, 0L)));
    return difference;
  }

  /** The group of a thread named {@code name} (Linux keeps the first 15 characters). */
  static String group(String name) {
    if (name.startsWith("task-thread-")) {
      return "task";
    }
    if (name.startsWith("kafka-producer-")) {
      return "producer-io";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
      return "gc";
    }
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return "jit";
    }
    return "other";
  }

  /** The thread name of a stat line: between the first '(' and the last ')'. */
  static String name(String stat) {
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  }

  /** utime + stime of a stat line: the 14th and 15th fields, counted after the name. */
  static long ticks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
