package io.csfle.connect.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Where a transform's time per record goes, shape by shape: the transform and its raw-Tink twin
 * from {@link FieldEncryptionBenchmark} and the pieces of its work from {@link
 * FieldEncryptionBreakdownBenchmark}, all as nanoseconds per record in one run (one fork each, the
 * same fixed heap as {@code scripts/bench}). Per shape it prints the pieces, their sum, what the
 * sum leaves unexplained, and the best ratio to the twin the transform could reach if its cipher
 * cost exactly what the twin does and nothing but the format (base64), the record (walk, copy,
 * {@code newRecord}) and the per-record timing were added. Run with {@code scripts/bench budget}.
 */
public final class CostBudget {
  /** One transform benchmark, its twin and the pieces its work is made of. */
  record Shape(
      String label, String transform, String twin, String cipher, String base64, String walk) {}

  static final String NEW_RECORD = "newRecord";
  static final String TIMING = "timing";

  static final List<Shape> SHAPES =
      List.of(
          new Shape(
              "Struct 3x20-40 encrypt",
              "encryptFieldSmt",
              "rawTinkEncrypt3",
              "cipherEncrypt3",
              "base64Encode3",
              "walkStruct3"),
          new Shape(
              "Struct 3x20-40 decrypt",
              "decryptFieldSmt",
              "rawTinkDecrypt3",
              "cipherDecrypt3",
              "base64Decode3",
              "walkStruct3"),
          new Shape(
              "Map 3x20-40 encrypt",
              "encryptMapSmt",
              "rawTinkEncryptMap3",
              "cipherEncrypt3",
              "base64Encode3",
              "walkMap3"),
          new Shape(
              "Map 3x20-40 decrypt",
              "decryptMapSmt",
              "rawTinkDecryptMap3",
              "cipherDecrypt3",
              "base64Decode3",
              "walkMap3"),
          new Shape(
              "Struct 1x1KiB encrypt",
              "encrypt1KiBSmt",
              "rawTinkEncrypt1KiB",
              "cipherEncrypt1KiB",
              "base64Encode1KiB",
              "walkStruct1KiB"),
          new Shape(
              "Struct 1x1KiB decrypt",
              "decrypt1KiBSmt",
              "rawTinkDecrypt1KiB",
              "cipherDecrypt1KiB",
              "base64Decode1KiB",
              "walkStruct1KiB"));

  private CostBudget() {}

  public static void main(String[] args) throws RunnerException {
    List<String> names = new ArrayList<>();
    for (Shape shape : SHAPES) {
      for (String name :
          List.of(shape.transform(), shape.twin(), shape.cipher(), shape.base64(), shape.walk())) {
        if (!names.contains(name)) {
          names.add(name);
        }
      }
    }
    names.add(NEW_RECORD);
    names.add(TIMING);
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .mode(Mode.AverageTime)
            .timeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
            .forks(1)
            .warmupIterations(Integer.getInteger("bench.warmupIterations", 3))
            .warmupTime(TimeValue.seconds(Integer.getInteger("bench.warmupSeconds", 2)))
            .measurementIterations(Integer.getInteger("bench.iterations", 5))
            .measurementTime(TimeValue.seconds(Integer.getInteger("bench.seconds", 2)))
            .jvmArgs(BenchmarkReport.forkJvmArgs());
    for (String name : names) {
      String owner =
          name.startsWith("raw") || name.endsWith("Smt")
              ? FieldEncryptionBenchmark.class.getName()
              : FieldEncryptionBreakdownBenchmark.class.getName();
      options.include(owner.replace(".", "\\.") + "\\." + name + "$");
    }
    System.out.print(table(nanosByName(new Runner(options.build()).run())));
  }

  private static Map<String, Double> nanosByName(Collection<RunResult> results) {
    Map<String, Double> nanos = new HashMap<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      nanos.put(
          benchmark.substring(benchmark.lastIndexOf('.') + 1),
          result.getPrimaryResult().getScore());
    }
    return nanos;
  }

  /** The budget table from nanoseconds per record by benchmark name. */
  static String table(Map<String, Double> nanos) {
    StringBuilder out = new StringBuilder();
    out.append(
        "\nNanoseconds per record. pieces: the project's cipher (UTF-8 included), base64 as"
            + " CiphertextFormat does it, the walk and copy with a free rewrite, newRecord, the"
            + " timing's two clock reads.\n"
            + "rest = transform - sum of pieces; best = twin / (twin + base64 + walk + newRecord +"
            + " timing): the ratio left if the cipher cost what the twin does and nothing else"
            + " were added.\n\n");
    out.append(
        "| shape | twin | transform | ratio | cipher | base64 | walk | newRecord | timing | sum"
            + " | rest | best |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Shape shape : SHAPES) {
      Double twin = nanos.get(shape.twin());
      Double transform = nanos.get(shape.transform());
      double cipher = value(nanos, shape.cipher());
      double base64 = value(nanos, shape.base64());
      double walk = value(nanos, shape.walk());
      double newRecord = value(nanos, NEW_RECORD);
      double timing = value(nanos, TIMING);
      if (twin == null || transform == null) {
        continue;
      }
      double sum = cipher + base64 + walk + newRecord + timing;
      double added = base64 + walk + newRecord + timing;
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.1f %% | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |"
                  + " %.1f %% |%n",
              shape.label(),
              twin,
              transform,
              100 * twin / transform,
              cipher,
              base64,
              walk,
              newRecord,
              timing,
              sum,
              transform - sum,
              100 * twin / (twin + added)));
    }
    return out.toString();
  }

  private static double value(Map<String, Double> nanos, String name) {
    Double value = nanos.get(name);
    return value == null ? Double.NaN : value;
  }
}
