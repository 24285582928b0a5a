package io.csfle.connect.transforms;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.config.FieldKeys;
import io.csfle.connect.config.KekKeys;
import io.csfle.connect.config.KmsCredentialKeys;
import io.csfle.connect.config.RegistryKeys;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.testing.CollectingSinkConnector;
import io.csfle.connect.testing.CustomerSourceConnector;
import io.csfle.connect.testing.SinkRecordStore;
import io.csfle.connect.testkit.Bytes;
import io.csfle.connect.testkit.ClusterExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConfigValueInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * What the integration tests share: a one-broker, one-worker Connect cluster with JSON converters
 * (schemas enabled), connector configs for the test connectors with {@link EncryptField} or {@link
 * DecryptField}, reading a topic's raw bytes, waiting for sink records, and fetching a DEK the way
 * an independent Confluent client would.
 */
final class ConnectClusterSupport {
  static final String KEK_NAME = "it-kek";
  static final String KMS_KEY_ID = "it-kek-id";
  static final String SECRET = "it-local-kms-secret";

  static final Duration RECORDS_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PADDED_BASE64 =
      Pattern.compile("^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$");

  private ConnectClusterSupport() {}

  /**
   * A one-broker, one-worker cluster with JSON converters (schemas enabled) and file and env config
   * providers (secrets in connector configs may come from files, as operators keep them), with the
   * given {@code plugin.discovery}: {@code hybrid_fail}, the embedded default, also checks every
   * plugin's service manifest; {@code service_load} skips a ~6 s reflective classpath scan.
   */
  static ClusterExtension clusters(String name, String pluginDiscovery) {
    return ClusterExtension.connect(name)
        .worker("key.converter", JsonConverter.class.getName())
        .worker("key.converter.schemas.enable", "true")
        .worker("value.converter", JsonConverter.class.getName())
        .worker("value.converter.schemas.enable", "true")
        .worker("plugin.discovery", pluginDiscovery)
        .worker("config.providers", "file,env")
        .worker(
            "config.providers.env.class",
            "org.apache.kafka.common.config.provider.EnvVarConfigProvider")
        .worker(
            "config.providers.file.class",
            "org.apache.kafka.common.config.provider.FileConfigProvider");
  }

  // ---- connector configs ----

  static Map<String, String> sourceConfig(String topic, int count, boolean schemaless) {
    Map<String, String> config = new HashMap<>();
    config.put(ConnectorConfig.CONNECTOR_CLASS_CONFIG, CustomerSourceConnector.class.getName());
    config.put(ConnectorConfig.TASKS_MAX_CONFIG, "1");
    config.put(CustomerSourceConnector.TOPIC_CONFIG, topic);
    config.put(CustomerSourceConnector.COUNT_CONFIG, Integer.toString(count));
    config.put(CustomerSourceConnector.SCHEMALESS_CONFIG, Boolean.toString(schemaless));
    return config;
  }

  static Map<String, String> sinkConfig(String topic, String collectorId) {
    Map<String, String> config = new HashMap<>();
    config.put(ConnectorConfig.CONNECTOR_CLASS_CONFIG, CollectingSinkConnector.class.getName());
    config.put(ConnectorConfig.TASKS_MAX_CONFIG, "1");
    config.put(SinkConnector.TOPICS_CONFIG, topic);
    config.put(CollectingSinkConnector.COLLECTOR_ID_CONFIG, collectorId);
    return config;
  }

  /** JSON without schemas for this connector's keys and values. */
  static Map<String, String> schemaless(Map<String, String> config) {
    for (String side : List.of("key", "value")) {
      config.put(side + ".converter", JsonConverter.class.getName());
      config.put(side + ".converter.schemas.enable", "false");
    }
    return config;
  }

  /**
   * Adds one transform under {@code alias}: {@code transformClass} on {@code fields}, with the
   * local-kms KEK of these tests; {@code extra} keys are given without the transform prefix.
   */
  static Map<String, String> withTransform(
      Map<String, String> config,
      String alias,
      Class<?> transformClass,
      String fields,
      String registryUrl,
      Map<String, String> extra) {
    String prefix = "transforms." + alias + ".";
    config.put("transforms", alias);
    config.put(prefix + "type", transformClass.getName());
    config.put(prefix + FieldKeys.FIELDS_CONFIG, fields);
    config.put(prefix + RegistryKeys.REGISTRY_URL_CONFIG, registryUrl);
    config.put(prefix + KekKeys.KEK_NAME_CONFIG, KEK_NAME);
    config.put(prefix + KmsCredentialKeys.SECRET_CONFIG, SECRET);
    if (EncryptField.class.isAssignableFrom(transformClass)) {
      // The writer creates the KEK; readers use it as registered, as the README shows.
      config.put(prefix + KekKeys.KMS_TYPE_CONFIG, LocalKekProvider.KMS_TYPE);
      config.put(prefix + KekKeys.KMS_KEY_ID_CONFIG, KMS_KEY_ID);
    }
    extra.forEach((k, v) -> config.put(prefix + k, v));
    return config;
  }

  // ---- reading results ----

  /**
   * Exactly {@code count} records of {@code topic} (one partition) as the bytes the broker stores,
   * once {@code connector} wrote them; fails at once, with the task's trace, if it failed.
   */
  static List<ConsumerRecord<byte[], byte[]>> rawRecords(
      EmbeddedConnectCluster cluster, String connector, String topic, int count) throws Exception {
    long deadline = System.nanoTime() + RECORDS_TIMEOUT.toNanos();
    while (cluster.kafka().endOffset(new TopicPartition(topic, 0)) < count) {
      if (taskFailed(cluster, connector) || System.nanoTime() > deadline) {
        throw new AssertionError(
            String.format(
                "Source '%s' did not write %d records to %s; %s",
                connector, count, topic, status(cluster, connector)));
      }
      Thread.sleep(50);
    }
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    cluster.kafka().consume(count, RECORDS_TIMEOUT.toMillis(), topic).forEach(records::add);
    assertThat(records).as("records in %s", topic).hasSize(count);
    return records;
  }

  static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the sink collected at least {@code count} records, then returns them. */
  static List<SinkRecord> awaitSinkRecords(
      EmbeddedConnectCluster cluster, String connector, String collectorId, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + RECORDS_TIMEOUT.toNanos();
    while (SinkRecordStore.count(collectorId) < count) {
      if (taskFailed(cluster, connector) || System.nanoTime() > deadline) {
        throw new AssertionError(
            String.format(
                "Sink '%s' received %d of %d records; %s",
                connector, SinkRecordStore.count(collectorId), count, status(cluster, connector)));
      }
      Thread.sleep(50);
    }
    return SinkRecordStore.records(collectorId);
  }

  /** True once a task of the connector failed; false while its status is not known yet. */
  static boolean taskFailed(EmbeddedConnectCluster cluster, String connector) {
    try {
      return cluster.connectorStatus(connector).tasks().stream()
          .anyMatch(t -> "FAILED".equals(t.state()));
    } catch (ConnectRestException e) {
      return false; // 404 until the worker has written the first status
    }
  }

  private static String status(EmbeddedConnectCluster cluster, String connector) {
    try {
      ConnectorStateInfo status = cluster.connectorStatus(connector);
      List<String> tasks = status.tasks().stream().map(t -> t.state() + " " + t.trace()).toList();
      return "connector " + status.connector().state() + ", tasks " + tasks;
    } catch (ConnectRestException e) {
      return "no status: " + e.getMessage();
    }
  }

  /** Each key with errors, its errors joined by {@code " | "}. */
  static Map<String, String> errorsByKey(ConfigInfos result) {
    return configsOf(result).stream()
        .map(ConfigInfo::configValue)
        .filter(v -> !v.errors().isEmpty())
        .collect(
            Collectors.toMap(
                ConfigValueInfo::name,
                v -> String.join(" | ", v.errors()),
                (a, b) -> a,
                HashMap::new));
  }

  /**
   * The per-key results. Connect 4.3 turned ConfigInfos into a record ({@code configs()} instead of
   * {@code values()}); reading it reflectively keeps this test compiling on 4.1 and newer.
   */
  @SuppressWarnings("unchecked")
  static List<ConfigInfo> configsOf(ConfigInfos result) {
    for (String accessor : List.of("values", "configs")) {
      try {
        return (List<ConfigInfo>) ConfigInfos.class.getMethod(accessor).invoke(result);
      } catch (NoSuchMethodException e) {
        // try the other name
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("ConfigInfos has neither values() nor configs()");
  }

  // ---- independent checks of the wire format ----

  /** True when {@code text} is standard base64 (alphabet {@code +/}) with {@code =} padding. */
  static boolean isPaddedStandardBase64(String text) {
    return !text.isEmpty() && PADDED_BASE64.matcher(text).matches();
  }

  /**
   * Fetches version {@code version} of a DEK from the registry and unwraps it with a local-kms KEK
   * built from the shared secret, as a Confluent client would: the result is the Tink key proto.
   */
  static byte[] keyProto(String registryUrl, String subject, int version, DekAlgorithm algorithm) {
    try (RestDekStore registry = new RestDekStore(RegistryClientConfig.of(registryUrl))) {
      RegisteredDek dek =
          registry
              .getDek(new DekSubject(KEK_NAME, subject, algorithm), version, false)
              .orElseThrow();
      return KekProviders.standard()
          .create(LocalKekProvider.KMS_TYPE, KMS_KEY_ID, Map.of("secret", SECRET))
          .unwrap(dek.encryptedKeyMaterial());
    }
  }

  /**
   * No record's key or value bytes contain any of the {@code needles}; a failure names the needle's
   * description (never its bytes) and shows the record's value.
   */
  static void assertNoNeedles(
      List<ConsumerRecord<byte[], byte[]>> raw, Map<String, byte[]> needles) {
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      needles.forEach(
          (what, needle) -> {
            assertThat(indexOf(record.key(), needle)).as("%s in key", what).isEqualTo(-1);
            assertThat(indexOf(record.value(), needle))
                .as("%s in %s", what, new String(record.value(), UTF_8))
                .isEqualTo(-1);
          });
    }
  }

  /** Index of {@code needle} in {@code haystack}, or -1. */
  static int indexOf(byte[] haystack, byte[] needle) {
    return Bytes.indexOf(haystack, needle);
  }

  static byte[] slice(byte[] bytes, int from) {
    return Arrays.copyOfRange(bytes, from, bytes.length);
  }
}
