package io.csfle.connect.bench;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link FieldEncryptionBenchmark} through the JMH Runner API and prints records/s per
 * benchmark and how the transforms compare with raw Tink (target: at least 80 %). The raw JMH
 * results are written as JSON next to {@code target/jmh-result.json}. {@link CpuTimeProfiler} is
 * always on (disable with {@code -Dbench.cpu=false}), so the table also shows CPU time per record.
 *
 * <p>With no benchmark named, it runs in paired rounds ({@code bench.rounds}, default 3): in each
 * round every benchmark gets one fresh JVM, each transform runs right next to its raw-Tink twin,
 * and the order is reversed every other round. The headline is the median of the per-round ratios,
 * which drifts far less than the ratio of two benchmarks measured minutes apart (this machine's
 * speed moves by 15-20 % over minutes). About 4 minutes with the defaults: 3 warmup and 5
 * measurement iterations of 2 s. A regexp naming benchmarks ({@code encryptFieldSmt}, {@code
 * Breakdown}) runs them once instead, with 2 forks.
 *
 * <p>Override the defaults with system properties {@code bench.rounds}, {@code bench.forks}, {@code
 * bench.warmupIterations}, {@code bench.warmupSeconds}, {@code bench.iterations}, {@code
 * bench.seconds}, or with ordinary JMH command-line arguments, which win over both: e.g. {@code -f
 * 1 -wi 5 -i 10 -r 3s}, {@code -prof gc}, {@code -prof stack}. {@code -h} lists JMH's options.
 */
public final class BenchmarkReport {
  static final String ENCRYPT = "encryptFieldSmt";
  static final String DECRYPT = "decryptFieldSmt";
  static final String RAW_ENCRYPT = "rawTinkEncrypt3";
  static final String RAW_DECRYPT = "rawTinkDecrypt3";
  static final double TARGET = 0.80;
  static final String DEFAULT_RESULT_FILE = "target/jmh-result.json";

  private BenchmarkReport() {}

  public static void main(String[] args)
      throws RunnerException, CommandLineOptionException, IOException {
    CommandLineOptions cli = new CommandLineOptions(args);
    if (cli.shouldHelp()) {
      cli.showHelp();
      return;
    }
    if (cli.shouldListProfilers()) {
      ProfilerFactory.listProfilers(System.out);
      return;
    }
    if (cli.shouldListResultFormats()) {
      System.out.println("Available formats: " + Arrays.toString(ResultFormatType.values()));
      return;
    }
    String resultFile = cli.getResult().orElse(DEFAULT_RESULT_FILE);
    File parent = new File(resultFile).getAbsoluteFile().getParentFile();
    if (parent != null) {
      parent.mkdirs();
    }
    ChainedOptionsBuilder options = defaults(cli);
    if (cli.shouldList() || cli.shouldListWithParams()) {
      if (cli.getIncludes().isEmpty()) {
        options.include(FieldEncryptionBenchmark.class.getName() + "\\.");
      }
      new Runner(options.build()).list();
      return;
    }
    if (!cli.getIncludes().isEmpty()) {
      if (!cli.getForkCount().hasValue()) {
        options.forks(intProperty("bench.forks", 2));
      }
      options.result(resultFile);
      Collection<RunResult> results = new Runner(options.build()).run();
      System.out.println(report(results, resultFile));
      return;
    }
    int rounds = intProperty("bench.rounds", 3);
    List<Map<String, RunResult>> byRound = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      byRound.add(runRound(cli, round, resultFile));
      System.out.println(
          report(byRound.get(round - 1).values(), resultFile + " (round " + round + ")"));
    }
    System.out.println(summary(byRound));
  }

  /**
   * Options from the command line, with this benchmark's defaults where it says nothing (builder
   * values win over the parent's, so a default is set only where the command line has none).
   */
  private static ChainedOptionsBuilder defaults(CommandLineOptions cli) {
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
    if (!cli.getWarmupIterations().hasValue()) {
      options.warmupIterations(intProperty("bench.warmupIterations", 3));
    }
    if (!cli.getWarmupTime().hasValue()) {
      options.warmupTime(TimeValue.seconds(intProperty("bench.warmupSeconds", 2)));
    }
    if (!cli.getMeasurementIterations().hasValue()) {
      options.measurementIterations(intProperty("bench.iterations", 5));
    }
    if (!cli.getMeasurementTime().hasValue()) {
      options.measurementTime(TimeValue.seconds(intProperty("bench.seconds", 2)));
    }
    if (Boolean.parseBoolean(System.getProperty("bench.cpu", "true"))) {
      options.addProfiler(CpuTimeProfiler.class);
    }
    if (!cli.getResultFormat().hasValue()) {
      options.resultFormat(ResultFormatType.JSON);
    }
    return options;
  }

  /**
   * One round: each benchmark in a JVM of its own, each transform next to its raw-Tink twin, the
   * order reversed every other round. Machine speed drifts over minutes; a pair measured back to
   * back sees the same machine, which a run of all transforms then all raw benchmarks does not.
   */
  private static Map<String, RunResult> runRound(
      CommandLineOptions cli, int round, String resultFile) throws RunnerException {
    List<String> order = new ArrayList<>(List.of(ENCRYPT, RAW_ENCRYPT, DECRYPT, RAW_DECRYPT));
    if (round % 2 == 0) {
      Collections.reverse(order);
    }
    Map<String, RunResult> results = new HashMap<>();
    for (String name : order) {
      ChainedOptionsBuilder options = defaults(cli);
      options.include(FieldEncryptionBenchmark.class.getName() + "\\." + name + "$");
      if (!cli.getForkCount().hasValue()) {
        options.forks(1);
      }
      if (!cli.getResult().hasValue()) {
        options.result(resultFile.replace(".json", "-round" + round + "-" + name + ".json"));
      }
      for (RunResult result : new Runner(options.build()).run()) {
        results.put(name, result);
      }
    }
    return results;
  }

  /** Per-round ratios and their median: the headline of a paired run. */
  static String summary(List<Map<String, RunResult>> byRound) {
    StringBuilder out = new StringBuilder("\nPaired rounds (each transform next to raw Tink):\n");
    pairLine(out, "EncryptField / raw Tink encrypt", byRound, ENCRYPT, RAW_ENCRYPT);
    pairLine(out, "DecryptField / raw Tink decrypt", byRound, DECRYPT, RAW_DECRYPT);
    return out.toString();
  }

  private static void pairLine(
      StringBuilder out,
      String label,
      List<Map<String, RunResult>> byRound,
      String smt,
      String raw) {
    List<Double> ratios = new ArrayList<>();
    for (Map<String, RunResult> round : byRound) {
      if (round.containsKey(smt) && round.containsKey(raw)) {
        ratios.add(
            round.get(smt).getPrimaryResult().getScore()
                / round.get(raw).getPrimaryResult().getScore());
      }
    }
    if (ratios.isEmpty()) {
      return;
    }
    List<Double> sorted = new ArrayList<>(ratios);
    Collections.sort(sorted);
    double median =
        sorted.size() % 2 == 1
            ? sorted.get(sorted.size() / 2)
            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    StringBuilder each = new StringBuilder();
    for (double ratio : ratios) {
      each.append(each.length() == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%.1f %%", ratio * 100));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%-32s rounds %s; median %.1f %%  (target >= %.0f %%: %s)%n",
            label,
            each,
            median * 100,
            TARGET * 100,
            median >= TARGET ? "MET" : "NOT MET"));
  }

  /** The summary table for a finished run. */
  static String report(Collection<RunResult> results, String resultFile) {
    Map<String, RunResult> byName = new HashMap<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      byName.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result);
    }
    List<String> names = new ArrayList<>(List.of(ENCRYPT, RAW_ENCRYPT, DECRYPT, RAW_DECRYPT));
    byName.keySet().stream().filter(n -> !names.contains(n)).sorted().forEach(names::add);
    int width = names.stream().filter(byName::containsKey).mapToInt(String::length).max().orElse(9);
    String row = "%-" + width + "s %12s %11s %12s %12s %11s%n";
    StringBuilder out = new StringBuilder();
    out.append('\n')
        .append("CSFLE field encryption: 10-field Struct, 3 STRING fields (20-40 chars) encrypted,")
        .append(" AES256_GCM; one op = one record\n")
        .append(
            String.format(
                Locale.ROOT,
                row,
                "benchmark",
                "records/s",
                "± (99.9%)",
                "CPU ns/rec",
                "rec/CPU-s",
                "alloc B/rec"));
    for (String name : names) {
      RunResult result = byName.get(name);
      if (result == null) {
        continue;
      }
      Result<?> primary = result.getPrimaryResult();
      double cpu = secondary(result, CpuTimeProfiler.NORM);
      double alloc = secondary(result, "gc.alloc.rate.norm");
      out.append(
          String.format(
              Locale.ROOT,
              row,
              name,
              number(primary.getScore()),
              number(primary.getScoreError()),
              number(cpu),
              number(1e9 / cpu),
              number(alloc)));
    }
    out.append('\n');
    ratio(out, "EncryptField / raw Tink encrypt", byName.get(ENCRYPT), byName.get(RAW_ENCRYPT));
    ratio(out, "DecryptField / raw Tink decrypt", byName.get(DECRYPT), byName.get(RAW_DECRYPT));
    out.append("(wall: records/s; CPU: records per CPU-second of the benchmark JVM, steadier when")
        .append(" other processes share the cores; alloc needs -prof gc)\n");
    out.append("JMH JSON result: ").append(resultFile).append('\n');
    return out.toString();
  }

  private static void ratio(StringBuilder out, String label, RunResult smt, RunResult raw) {
    if (smt == null || raw == null) {
      return;
    }
    double wall = smt.getPrimaryResult().getScore() / raw.getPrimaryResult().getScore();
    double cpu = secondary(raw, CpuTimeProfiler.NORM) / secondary(smt, CpuTimeProfiler.NORM);
    out.append(
        String.format(
            Locale.ROOT,
            "%-32s wall %6.1f %%  CPU %6s  (target >= %.0f %%: %s)%n",
            label,
            wall * 100,
            Double.isNaN(cpu) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", cpu * 100),
            TARGET * 100,
            verdict(wall, cpu)));
  }

  private static String verdict(double wall, double cpu) {
    boolean wallMet = wall >= TARGET;
    if (Double.isNaN(cpu) || wallMet == (cpu >= TARGET)) {
      return wallMet ? "MET" : "NOT MET";
    }
    return (wallMet ? "met" : "not met")
        + " by wall, "
        + (cpu >= TARGET ? "met" : "not met")
        + " by CPU";
  }

  private static double secondary(RunResult result, String name) {
    Result<?> r = result.getSecondaryResults().get(name);
    return r == null ? Double.NaN : r.getScore();
  }

  private static String number(double value) {
    return Double.isNaN(value) || Double.isInfinite(value)
        ? "-"
        : String.format(Locale.ROOT, "%,.0f", value);
  }

  private static int intProperty(String name, int defaultValue) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "System property " + name + " must be an integer: " + value, e);
    }
  }
}
