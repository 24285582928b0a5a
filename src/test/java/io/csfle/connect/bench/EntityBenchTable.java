package io.csfle.connect.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of {@link EntityKeysBench} as a Markdown table: what was measured, over how many
 * records, entities or keys, and the result. Holds the arithmetic (rates, per-million counts, bytes
 * per key) so that it is tested apart from the run.
 */
final class EntityBenchTable {
  private record Row(String what, String count, String result) {}

  private final List<Row> rows = new ArrayList<>();

  /** A throughput row: records/s and µs a record over {@code records} timed in {@code nanos}. */
  void throughput(String what, long records, long nanos, String note) {
    rows.add(
        new Row(
            what,
            number(records) + " records",
            number(recordsPerSecond(records, nanos))
                + " records/s, "
                + String.format(Locale.ROOT, "%.2f", microsPer(nanos, records))
                + " µs/record"
                + (note.isEmpty() ? "" : "; " + note)));
  }

  /** Calls counted over {@code entities} new entities, scaled to a million. */
  void callsPerMillion(String what, long calls, long entities) {
    rows.add(
        new Row(
            what,
            number(entities) + " new entities",
            number(calls)
                + " ("
                + String.format(Locale.ROOT, "%,.1f", perMillion(calls, entities))
                + " per 1,000,000 new entities)"));
  }

  /** Heap retained by {@code keys} cached keys. */
  void heapPerKey(String what, long bytes, long keys) {
    rows.add(
        new Row(
            what,
            number(keys) + " keys",
            number(bytes)
                + " bytes, "
                + String.format(Locale.ROOT, "%,.0f", (double) bytes / keys)
                + " bytes per key"));
  }

  /** A duration in milliseconds. */
  void millis(String what, String count, long nanos) {
    rows.add(new Row(what, count, String.format(Locale.ROOT, "%,.1f ms", nanos / 1_000_000.0)));
  }

  String markdown() {
    StringBuilder out = new StringBuilder("| measured | over | result |\n|---|---|---|\n");
    for (Row row : rows) {
      out.append("| ")
          .append(row.what())
          .append(" | ")
          .append(row.count())
          .append(" | ")
          .append(row.result())
          .append(" |\n");
    }
    return out.toString();
  }

  static long recordsPerSecond(long records, long nanos) {
    return nanos <= 0 ? 0 : Math.round(records * 1e9 / nanos);
  }

  static double microsPer(long nanos, long records) {
    return records == 0 ? 0 : nanos / 1_000.0 / records;
  }

  static double perMillion(long calls, long entities) {
    return entities == 0 ? 0 : calls * 1_000_000.0 / entities;
  }

  private static String number(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
