package io.csfle.connect.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options of {@link EntityKeysBench}: {@code --name value} pairs over defaults. */
final class EntityBenchOptions {
  private EntityBenchOptions() {}

  static Map<String, Long> parse(String[] args) {
    Map<String, Long> options = new LinkedHashMap<>();
    options.put("entities", 1_000_000L);
    // Each new entity is a create on the key topic, about 8 ms here: a million would take hours
    // (docs/performance.md). The rest of the store is bulk-filled.
    options.put("new", 10_000L);
    options.put("records", 200_000L);
    options.put("working-set", 10_000L);
    options.put("cold-records", 20_000L);
    options.put("heap-keys", 20_000L);
    options.put("rounds", 2L);
    options.put("fetch-max-wait-ms", -1L);
    options.put("heap-only", 0L);
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].replaceFirst("^--", "");
      if (!options.containsKey(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
      }
      options.put(name, Long.parseLong(args[i + 1].replace("_", "").replace(",", "")));
    }
    if (options.get("new") > options.get("entities")) {
      throw new IllegalArgumentException("--new must be <= --entities");
    }
    if (options.get("working-set") > options.get("entities")) {
      throw new IllegalArgumentException("--working-set must be <= --entities");
    }
    return options;
  }
}
