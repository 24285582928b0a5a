package io.csfle.connect.transforms;

import static io.csfle.connect.testing.CustomerRecords.card;
import static io.csfle.connect.testing.CustomerRecords.customerEmail;
import static io.csfle.connect.testing.CustomerRecords.email;
import static io.csfle.connect.testing.CustomerRecords.normalize;
import static io.csfle.connect.transforms.ConnectClusterSupport.SECRET;
import static io.csfle.connect.transforms.ConnectClusterSupport.awaitSinkRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.configsOf;
import static io.csfle.connect.transforms.ConnectClusterSupport.errorsByKey;
import static io.csfle.connect.transforms.ConnectClusterSupport.json;
import static io.csfle.connect.transforms.ConnectClusterSupport.rawRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.sinkConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.sourceConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.withTransform;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csfle.connect.config.DekStoreKeys;
import io.csfle.connect.config.KekKeys;
import io.csfle.connect.reencrypt.ReencryptSourceConfig;
import io.csfle.connect.reencrypt.ReencryptSourceConnector;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.testing.CollectingSinkConnector;
import io.csfle.connect.testing.CustomerRecords;
import io.csfle.connect.testing.CustomerSourceConnector;
import io.csfle.connect.testkit.ClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator sees through a real worker: {@code config/validate} errors per transform key,
 * and a sink whose {@link DecryptField} meets altered ciphertext, failing with an error that names
 * the record and field but no value, or passing the ciphertext through when told to.
 *
 * <p>The worker scans the classpath as well as reading manifests ({@code hybrid_warn}): plugins of
 * other projects on the test classpath (Apicurio's converters) ship no {@code META-INF/services}
 * manifest, which {@code hybrid_fail} refuses. That the transforms' own manifest is complete is
 * proven where only manifests count: {@code PluginProcessIT}'s workers use {@code service_load},
 * and {@code TransformConfigTest} reads the manifest.
 */
class ValidationAndFailureIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ConnectClusterSupport.clusters("csfle-failures", "hybrid_warn").withRegistry();

  private static final String VALUE_FIELDS = "email,customer.email,card";
  private static final String TAMPERED_TOPIC = "orders-tampered";
  private static final int GOOD_RECORDS = 3;

  /** The email ciphertexts written at offsets 3 (bit flipped) and 4 (not base64). */
  private static String flippedEmail;

  private static String notBase64Email;

  @BeforeAll
  @Timeout(120)
  static void startClusterAndWriteTamperedTopic() throws Exception {
    writeTamperedTopic();
  }

  @Test
  @Timeout(60)
  void badTransformConfig_validateNamesEachBadKeyWithItsReason() {
    Map<String, String> config =
        withTransform(
            sourceConfig("orders-validate", 1, false),
            "encrypt",
            EncryptField.Value.class,
            "",
            clusters.registry().url(),
            Map.of(KekKeys.ALGORITHM_CONFIG, "DES", KekKeys.KMS_TYPE_CONFIG, "nope"));

    ConfigInfos result = validate(CustomerSourceConnector.class, config);

    Map<String, String> errors = errorsByKey(result);
    assertThat(errors)
        .containsOnlyKeys(
            "transforms.encrypt.fields",
            "transforms.encrypt.encrypt.dek.algorithm",
            "transforms.encrypt.encrypt.kms.type");
    assertThat(result.errorCount()).isEqualTo(3);
    assertThat(errors.get("transforms.encrypt.fields"))
        .contains("at least one field path is required");
    assertThat(errors.get("transforms.encrypt.encrypt.dek.algorithm"))
        .contains("DES")
        .contains("AES256_GCM", "AES128_GCM", "AES256_SIV");
    assertThat(errors.get("transforms.encrypt.encrypt.kms.type"))
        .contains("nope")
        .contains("unsupported KMS type")
        .contains("local-kms");
  }

  @Test
  @Timeout(60)
  void badDecryptConfig_validateNamesOverlappingPathsMissingKekAndUnknownFailureMode() {
    Map<String, String> config =
        withTransform(
            sinkConfig("orders-validate", "unused"),
            "decrypt",
            DecryptField.Value.class,
            "customer,customer.email",
            clusters.registry().url(),
            Map.of(CsfleConfig.ON_FAILURE_CONFIG, "ignore"));
    config.remove("transforms.decrypt." + KekKeys.KEK_NAME_CONFIG);

    Map<String, String> errors = errorsByKey(validate(CollectingSinkConnector.class, config));

    assertThat(errors)
        .containsOnlyKeys(
            "transforms.decrypt.fields",
            "transforms.decrypt.encrypt.kek.name",
            "transforms.decrypt.decrypt.on.failure");
    assertThat(errors.get("transforms.decrypt.fields"))
        .contains("'customer' and 'customer.email' overlap");
    assertThat(errors.get("transforms.decrypt.encrypt.kek.name")).contains("Missing required");
    assertThat(errors.get("transforms.decrypt.decrypt.on.failure"))
        .contains("ignore")
        .containsIgnoringCase("passthrough");
  }

  @Test
  @Timeout(60)
  void goodConfig_validatesWithoutErrorsAndHidesTheSecret() {
    Map<String, String> config =
        withTransform(
            sourceConfig("orders-validate", 1, false),
            "encrypt",
            EncryptField.Value.class,
            VALUE_FIELDS,
            clusters.registry().url(),
            Map.of());

    ConfigInfos result = validate(CustomerSourceConnector.class, config);

    assertThat(result.errorCount()).as("%s", errorsByKey(result)).isZero();
    assertThat(configsOf(result))
        .map(ConfigInfo::configValue)
        .filteredOn(v -> v.name().equals("transforms.encrypt.kms.secret"))
        .singleElement()
        .satisfies(v -> assertThat(v.value()).isNotEqualTo(SECRET));
  }

  @Test
  @Timeout(90)
  void tamperedCiphertext_sinkTaskFailsNamingRecordAndFieldButNoValue() throws Exception {
    String name = "decrypt-tampered-fail";
    clusters
        .connectCluster()
        .configureConnector(
            name,
            withTransform(
                sinkConfig(TAMPERED_TOPIC, name),
                "decrypt",
                DecryptField.Value.class,
                VALUE_FIELDS,
                clusters.registry().url(),
                Map.of()));
    try {
      clusters
          .connectCluster()
          .assertions()
          .assertConnectorIsRunningAndTasksHaveFailed(name, 1, "the sink task did not fail");
      String trace = clusters.connectCluster().connectorStatus(name).tasks().get(0).trace();

      assertThat(trace)
          .contains("DataException")
          .contains("topic '" + TAMPERED_TOPIC + "'")
          .contains("partition 0")
          .contains("offset " + GOOD_RECORDS)
          .contains("field 'email'")
          .doesNotContain(flippedEmail)
          .doesNotContain(SECRET);
      for (int i = 0; i < GOOD_RECORDS; i++) {
        assertThat(trace).doesNotContain(email(i)).doesNotContain(customerEmail(i));
      }
    } finally {
      clusters.connectCluster().deleteConnector(name);
    }
  }

  @Test
  @Timeout(90)
  void tamperedCiphertextWithPassthrough_sinkReceivesThatCiphertextUnchanged() throws Exception {
    String name = "decrypt-tampered-passthrough";
    clusters
        .connectCluster()
        .configureConnector(
            name,
            withTransform(
                sinkConfig(TAMPERED_TOPIC, name),
                "decrypt",
                DecryptField.Value.class,
                VALUE_FIELDS,
                clusters.registry().url(),
                Map.of(CsfleConfig.ON_FAILURE_CONFIG, "passthrough")));
    try {
      List<SinkRecord> received =
          awaitSinkRecords(clusters.connectCluster(), name, name, GOOD_RECORDS + 2);

      assertThat(received).hasSize(GOOD_RECORDS + 2);
      for (int i = 0; i < GOOD_RECORDS; i++) {
        assertThat(normalize(received.get(i).value()))
            .isEqualTo(normalize(CustomerRecords.value(i)));
      }
      // Both tampered records are copies of record 0; only their email was altered.
      Struct flipped = (Struct) received.get(GOOD_RECORDS).value();
      assertThat(flipped.getString("email")).isEqualTo(flippedEmail);
      assertThat(flipped.getStruct("customer").getString("email")).isEqualTo(customerEmail(0));
      assertThat(flipped.getBytes("card")).isEqualTo(card(0));
      Struct notBase64 = (Struct) received.get(GOOD_RECORDS + 1).value();
      assertThat(notBase64.getString("email")).isEqualTo(notBase64Email);
      assertThat(notBase64.getStruct("customer").getString("email")).isEqualTo(customerEmail(0));
    } finally {
      clusters.connectCluster().deleteConnector(name);
    }
  }

  // ---- helpers ----

  /**
   * Writes {@value #GOOD_RECORDS} records through {@link EncryptField}, then two copies of record 0
   * produced by hand: one with a bit of the email ciphertext flipped (the GCM tag check fails), one
   * whose email is not base64 at all.
   */
  private static void writeTamperedTopic() throws Exception {
    clusters.connectCluster().kafka().createTopic(TAMPERED_TOPIC, 1);
    String source = "encrypt-" + TAMPERED_TOPIC;
    clusters
        .connectCluster()
        .configureConnector(
            source,
            withTransform(
                sourceConfig(TAMPERED_TOPIC, GOOD_RECORDS, false),
                "encrypt",
                EncryptField.Value.class,
                VALUE_FIELDS,
                clusters.registry().url(),
                Map.of()));
    List<ConsumerRecord<byte[], byte[]>> raw =
        rawRecords(clusters.connectCluster(), source, TAMPERED_TOPIC, GOOD_RECORDS);
    clusters.connectCluster().deleteConnector(source);

    ConsumerRecord<byte[], byte[]> first = raw.get(0);
    String key = new String(first.key(), UTF_8);
    ObjectNode value = (ObjectNode) json(first.value());
    ObjectNode payload = (ObjectNode) value.get("payload");
    byte[] ciphertext = Base64.getDecoder().decode(payload.get("email").asText());
    ciphertext[12] ^= 0x01; // first byte after the IV
    flippedEmail = Base64.getEncoder().encodeToString(ciphertext);
    payload.put("email", flippedEmail);
    clusters.connectCluster().kafka().produce(TAMPERED_TOPIC, 0, key, value.toString());

    notBase64Email = "*" + flippedEmail.substring(1);
    payload.put("email", notBase64Email);
    clusters.connectCluster().kafka().produce(TAMPERED_TOPIC, 0, key, value.toString());
  }

  /**
   * Every file in config-examples/ must validate without errors against a real worker. The examples
   * name connectors this worker does not have (JDBC), so the connector class is swapped for a test
   * connector of the same kind: what is validated is everything else, our transforms' keys first of
   * all. Examples of the re-encryption connector are validated as they are, with this cluster as
   * their source.
   */
  @Test
  @Timeout(60)
  void configExamples_validateWithoutErrorsOnARealWorker() throws Exception {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("config-examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(examples).isNotEmpty();
    ObjectMapper mapper = new ObjectMapper();
    for (Path example : examples) {
      Map<String, String> config =
          mapper.readValue(example.toFile(), new TypeReference<HashMap<String, String>>() {});
      Class<?> connector;
      if (ReencryptSourceConnector.class.getName().equals(config.get("connector.class"))) {
        // Our own connector is validated as it is, against this cluster and its topics.
        connector = ReencryptSourceConnector.class;
        config.put(
            "source.bootstrap.servers", clusters.connectCluster().kafka().bootstrapServers());
        // validate() also checks the KEKs in the registry and the target KMS key: use this
        // test's registry and secret, with the example's source KEK registered.
        config.put("schema.registry.url", clusters.registry().url());
        config.put("kms.secret", SECRET);
        // This test's worker runs without exactly-once source support, which the example requires.
        config.remove("exactly.once.support");
        try (RestDekStore keks =
            new RestDekStore(RegistryClientConfig.of(clusters.registry().url()))) {
          String sourceKek = config.get("source.encrypt.kek.name");
          if (keks.getKek(sourceKek, true).isEmpty()) {
            keks.createKek(new NewKek(sourceKek, "local-kms", sourceKek, Map.of(), null, false));
          }
        }
        for (String topic : config.get("topics").split(",")) {
          if (clusters
              .connectCluster()
              .kafka()
              .describeTopics(topic.trim())
              .get(topic.trim())
              .isEmpty()) {
            clusters.connectCluster().kafka().createTopic(topic.trim(), 1);
          }
        }
      } else {
        connector =
            config.containsKey("topics")
                ? CollectingSinkConnector.class
                : CustomerSourceConnector.class;
        // The test connectors' own required keys.
        config.putIfAbsent("collector.id", "examples");
        config.putIfAbsent("topic", "examples");
      }
      config.put("connector.class", connector.getName());
      // Secrets the examples read from files on a real worker are not on this machine.
      config.replaceAll((key, value) -> value.startsWith("${file:") ? "from-a-file" : value);

      ConfigInfos result = validate(connector, config);

      assertThat(errorsByKey(result)).as(example.toString()).isEmpty();
      // Connect ignores keys no ConfigDef defines, so a misspelt transform key would validate
      // silently: every transforms.<alias>.* key must be one the worker reports back.
      Set<String> known =
          configsOf(result).stream()
              .map(info -> info.configValue().name())
              .collect(Collectors.toSet());
      if (connector == ReencryptSourceConnector.class) {
        assertThat(unknownConnectorKeys(config, known)).as(example.toString()).isEmpty();
      } else {
        assertThat(transformKeys(config)).as(example.toString()).isNotEmpty().isSubsetOf(known);
      }
    }
  }

  /**
   * Keys of a re-encryption job that its ConfigDef does not define and that are not under one of
   * the prefixes passed on to clients or converters: a misspelt key would otherwise validate.
   */
  private static Set<String> unknownConnectorKeys(Map<String, String> config, Set<String> known) {
    List<String> passedOn =
        List.of(
            ReencryptSourceConfig.SOURCE_CONSUMER_PREFIX,
            ReencryptSourceConfig.SOURCE_KMS_PREFIX,
            ReencryptSourceConfig.TARGET_ADMIN_PREFIX,
            ReencryptSourceConfig.SOURCE_KEY_CONVERTER_CONFIG + ".",
            ReencryptSourceConfig.SOURCE_VALUE_CONVERTER_CONFIG + ".",
            "key.converter.",
            "value.converter.",
            "header.converter.");
    Set<String> unknown = new TreeSet<>();
    for (String key : config.keySet()) {
      if (!known.contains(key) && passedOn.stream().noneMatch(key::startsWith)) {
        unknown.add(key);
      }
    }
    return unknown;
  }

  /**
   * The example's {@code transforms.<alias>.*} keys, for every alias it lists, except Kafka client
   * settings under {@code dek.store.client.}, which the Kafka clients check when the store opens.
   */
  private static Set<String> transformKeys(Map<String, String> config) {
    Set<String> keys = new TreeSet<>();
    for (String alias : config.getOrDefault("transforms", "").split(",")) {
      String prefix = "transforms." + alias.trim() + ".";
      String clientPrefix = prefix + DekStoreKeys.CLIENT_PREFIX;
      config.keySet().stream()
          .filter(k -> k.startsWith(prefix) && !k.startsWith(clientPrefix))
          .forEach(keys::add);
    }
    return keys;
  }

  private static ConfigInfos validate(Class<?> connector, Map<String, String> config) {
    config.put("name", "validate-only");
    return clusters.connectCluster().validateConnectorConfig(connector.getName(), config);
  }
}
