package io.csfle.connect.cdc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The connector configs of the CDC pipeline test, read from the files in {@code config-examples/}
 * that docs/pipelines.md shows: the test runs the documented configs, changing only what names this
 * machine (hosts, ports, credentials, the registry or DEK store, names that must differ per run).
 * Any other change fails, and {@code PipelinesPageTest} keeps the page equal to the files, so the
 * page cannot drift from what is tested.
 */
final class PipelineConfigs {
  static final Path SOURCE =
      Path.of("config-examples/source-debezium-postgres-encrypt-value-local-kms.json");
  static final Path SINK =
      Path.of("config-examples/sink-debezium-jdbc-decrypt-value-local-kms.json");

  /** Keys the test may set: where things are, and per-run names. */
  private static final Set<String> SOURCE_LOCAL_KEYS =
      Set.of(
          "database.hostname",
          "database.port",
          "database.user",
          "database.password",
          "database.dbname",
          "slot.name",
          "publication.name",
          "topic.prefix");

  private static final Set<String> SINK_LOCAL_KEYS =
      Set.of("topics", "connection.url", "connection.username", "connection.password");

  /** The transform's keys that say where the keys live and the KMS secret. */
  private static final Set<String> TRANSFORM_LOCAL_KEYS =
      Set.of(
          "schema.registry.url",
          "kms.secret",
          "dek.store",
          "dek.store.bootstrap.servers",
          "dek.store.topic",
          "dek.store.topic.replication.factor",
          "dek.store.topic.min.insync.replicas");

  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineConfigs() {}

  static Map<String, String> load(Path file) {
    try {
      return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + file, e);
    }
  }

  /**
   * The example at {@code file} with {@code local} applied (a null value removes the key). Refuses
   * a key outside the machine-specific ones, for connector ({@code source}) or transform ({@code
   * transforms.<alias>.}).
   */
  static Map<String, String> withLocal(Path file, String alias, Map<String, String> local) {
    Map<String, String> config = load(file);
    boolean source = file.equals(SOURCE);
    String transformPrefix = "transforms." + alias + ".";
    local.forEach(
        (key, value) -> {
          boolean allowed =
              key.startsWith(transformPrefix)
                  ? TRANSFORM_LOCAL_KEYS.contains(key.substring(transformPrefix.length()))
                  : (source ? SOURCE_LOCAL_KEYS : SINK_LOCAL_KEYS).contains(key);
          if (!allowed) {
            throw new IllegalArgumentException(
                "The test may not change " + key + " of " + file + ": change the example instead");
          }
          if (value == null) {
            config.remove(key);
          } else {
            config.put(key, value);
          }
        });
    return config;
  }
}
