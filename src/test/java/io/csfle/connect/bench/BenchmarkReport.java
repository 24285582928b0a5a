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
 * benchmark and how the transforms compare with raw Tink, shape by shape ({@link #PAIRS}; target:
 * at least 85 %), with the bytes allocated per record beside each ratio when run with {@code -prof
 * gc}. The raw JMH results are written as JSON next to {@code target/jmh-result.json}. {@link
 * CpuTimeProfiler} is always on (disable with {@code -Dbench.cpu=false}), so the table also shows
 * CPU time per record.
 *
 * <p>With no benchmark named, it runs in paired rounds ({@code bench.rounds}, default 3): in each
 * round every benchmark gets one fresh JVM, each transform runs right next to its raw-Tink twin
 * (all pairs, or those whose transform benchmark matches the regexp {@code bench.pairs}), and the
 * order is reversed every other round. The headline is the median of the per-round ratios, which
 * drifts far less than the ratio of two benchmarks measured minutes apart (this machine's speed
 * moves by 15-20 % over minutes). About 4 minutes with the defaults: 3 warmup and 5 measurement
 * iterations of 2 s. A regexp naming benchmarks ({@code encryptFieldSmt}, {@code Breakdown}) runs
 * them once instead, with 2 forks.
 *
 * <p>Override the defaults with system properties {@code bench.rounds}, {@code bench.forks}, {@code
 * bench.warmupIterations}, {@code bench.warmupSeconds}, {@code bench.iterations}, {@code
 * bench.seconds}, {@code bench.heap} (each fork's heap options, {@link #FORK_HEAP}), or with
 * ordinary JMH command-line arguments, which win over both: e.g. {@code -f 1 -wi 5 -i 10 -r 3s},
 * {@code -prof gc}, {@code -prof stack}. {@code -h} lists JMH's options.
 */
public final class BenchmarkReport {
  /** A transform benchmark and its raw-Tink twin, measured next to each other in every round. */
  record Pair(String label, String transform, String raw) {}

  /** Every pair, by shape: the Struct of three short strings, the same as a Map, a 1 KiB field. */
  static final List<Pair> PAIRS =
      List.of(
          new Pair("Struct 3x20-40: EncryptField", "encryptFieldSmt", "rawTinkEncrypt3"),
          new Pair("Struct 3x20-40: DecryptField", "decryptFieldSmt", "rawTinkDecrypt3"),
          new Pair("Map 3x20-40:    EncryptField", "encryptMapSmt", "rawTinkEncryptMap3"),
          new Pair("Map 3x20-40:    DecryptField", "decryptMapSmt", "rawTinkDecryptMap3"),
          new Pair("Struct 1x1KiB:  EncryptField", "encrypt1KiBSmt", "rawTinkEncrypt1KiB"),
          new Pair("Struct 1x1KiB:  DecryptField", "decrypt1KiBSmt", "rawTinkDecrypt1KiB"));

  /**
   * Each fork's heap: fixed and touched before the first iteration, as a long-running worker's heap
   * is. A fork growing into a fresh heap takes a kernel page fault on the first write to each page,
   * in the middle of the measured iterations, and the benchmark that allocates more pays more of
   * them: a profile of {@code encrypt1KiBSmt} on the default heap found 13 % of its samples in page
   * faults. {@code -jvmArgs} on the command line replaces this.
   */
  static final String FORK_HEAP =
      System.getProperty("bench.heap", "-Xms2g -Xmx2g -XX:+AlwaysPreTouch");

  /**
   * Each fork's JVM options: {@link #FORK_HEAP}, and {@code bench.records} when this JVM has it
   * ({@code BENCH_JAVA_OPTS=-Dbench.records=16384}), so that the forks cycle through that many
   * records ({@link FieldEncryptionBenchmark#RECORDS}).
   */
  static String[] forkJvmArgs() {
    List<String> args = new ArrayList<>(List.of(FORK_HEAP.split(" ")));
    String records = System.getProperty("bench.records");
    if (records != null) {
      args.add("-Dbench.records=" + records);
    }
    return args.toArray(new String[0]);
  }

  static final double TARGET = 0.85;
  static final String ALLOC = "gc.alloc.rate.norm";
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
    if (!cli.getJvmArgs().hasValue()) {
      options.jvmArgs(forkJvmArgs());
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
    List<String> order = new ArrayList<>();
    for (Pair pair : selectedPairs()) {
      order.add(pair.transform());
      order.add(pair.raw());
    }
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
    StringBuilder out =
        new StringBuilder(
            "\nPaired rounds (each transform next to its raw-Tink twin; transform / raw records/s,"
                + " and bytes allocated per record with -prof gc):\n");
    for (Pair pair : PAIRS) {
      pairLine(out, pair, byRound);
    }
    return out.toString();
  }

  private static void pairLine(StringBuilder out, Pair pair, List<Map<String, RunResult>> byRound) {
    List<Double> ratios = new ArrayList<>();
    List<Double> cpuRatios = new ArrayList<>();
    List<Double> transformAlloc = new ArrayList<>();
    List<Double> rawAlloc = new ArrayList<>();
    for (Map<String, RunResult> round : byRound) {
      RunResult smt = round.get(pair.transform());
      RunResult raw = round.get(pair.raw());
      if (smt != null && raw != null) {
        ratios.add(smt.getPrimaryResult().getScore() / raw.getPrimaryResult().getScore());
        cpuRatios.add(secondary(raw, CpuTimeProfiler.NORM) / secondary(smt, CpuTimeProfiler.NORM));
        transformAlloc.add(secondary(smt, ALLOC));
        rawAlloc.add(secondary(raw, ALLOC));
      }
    }
    if (ratios.isEmpty()) {
      return;
    }
    double median = median(ratios);
    StringBuilder each = new StringBuilder();
    for (double ratio : ratios) {
      each.append(each.length() == 0 ? "" : ", ")
          .append(String.format(Locale.ROOT, "%.1f %%", ratio * 100));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%-30s rounds %s; median %.1f %%, by CPU %s  B/rec %s vs raw %s  (target >= %.0f %%:"
                + " %s)%n",
            pair.label(),
            each,
            median * 100,
            percent(median(cpuRatios)),
            number(median(transformAlloc)),
            number(median(rawAlloc)),
            TARGET * 100,
            median >= TARGET ? "MET" : "NOT MET"));
  }

  /** The median; NaN when any value is (a run without -prof gc has no allocation figures). */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    if (n == 0 || Double.isNaN(sorted.get(n - 1))) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * The pairs a paired run measures: all, or those whose transform benchmark matches the regexp in
   * {@code bench.pairs} (e.g. {@code -Dbench.pairs='.*(Map|1KiB).*'}).
   */
  static List<Pair> selectedPairs() {
    String regexp = System.getProperty("bench.pairs", "");
    if (regexp.isBlank()) {
      return PAIRS;
    }
    List<Pair> selected = new ArrayList<>();
    for (Pair pair : PAIRS) {
      if (pair.transform().matches(regexp)) {
        selected.add(pair);
      }
    }
    if (selected.isEmpty()) {
      throw new IllegalArgumentException("bench.pairs matches no transform benchmark: " + regexp);
    }
    return selected;
  }

  /** The summary table for a finished run. */
  static String report(Collection<RunResult> results, String resultFile) {
    Map<String, RunResult> byName = new HashMap<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      byName.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result);
    }
    List<String> names = new ArrayList<>();
    for (Pair pair : PAIRS) {
      names.add(pair.transform());
      names.add(pair.raw());
    }
    byName.keySet().stream().filter(n -> !names.contains(n)).sorted().forEach(names::add);
    int width = names.stream().filter(byName::containsKey).mapToInt(String::length).max().orElse(9);
    String row = "%-" + width + "s %12s %11s %12s %12s %11s%n";
    StringBuilder out = new StringBuilder();
    out.append('\n')
        .append(
            "CSFLE field encryption, AES256_GCM, one op = one record: 10-field Struct or Map with")
        .append(" 3 STRING fields (20-40 chars) encrypted, or a Struct with one 1 KiB STRING\n")
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
      double alloc = secondary(result, ALLOC);
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
    for (Pair pair : PAIRS) {
      ratio(out, pair.label(), byName.get(pair.transform()), byName.get(pair.raw()));
    }
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
            "%-30s wall %6.1f %%  CPU %6s  B/rec %s vs raw %s  (target >= %.0f %%: %s)%n",
            label,
            wall * 100,
            Double.isNaN(cpu) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", cpu * 100),
            number(secondary(smt, ALLOC)),
            number(secondary(raw, ALLOC)),
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

  private static String percent(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", ratio * 100);
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
