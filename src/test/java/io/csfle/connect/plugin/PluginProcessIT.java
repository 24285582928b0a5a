package io.csfle.connect.plugin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.PluginVersion;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.testing.CustomerRecords;
import io.csfle.connect.testing.CustomerSourceConnector;
import io.csfle.connect.testing.JsonLinesFileSinkConnector;
import io.csfle.connect.transforms.EncryptField;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built plugin archive in a real Connect worker process: a KRaft broker and a distributed
 * worker run as separate JVMs on Kafka's jars only, the zip is unzipped into {@code plugin.path},
 * and a source connector with {@code EncryptField$Value} feeds a sink with {@code
 * DecryptField$Value}. Unlike the in-JVM clusters of the other ITs, the plugin's classes and
 * libraries are reachable only through its own plugin class loader, as in production. The demo
 * connectors are the test connectors packaged as a second plugin directory: Kafka's FileStreamSink
 * would print byte fields as object ids, so the sink writes JSON lines instead.
 */
class PluginProcessIT {
  private static final int COUNT = 20;
  private static final String TOPIC = "customers";
  private static final String FIELDS = "name,email,ssn,card,customer.email";
  private static final String SECRET = "process-it-local-kms-secret";
  private static final Duration RECORDS_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path WORK_DIR = Path.of("target", "plugin-process-it").toAbsolutePath();

  private static final Path PLUGIN_DIR = WORK_DIR.resolve("plugins").resolve("kafka-connect-csfle");

  private static InMemoryDekRegistryServer registry;
  private static KafkaProcesses kafka;
  private static List<String> kafkaClasspath;

  @BeforeAll
  @Timeout(300)
  static void startBrokerAndWorker() throws Exception {
    deleteRecursively(WORK_DIR);
    Path plugins = Files.createDirectories(WORK_DIR.resolve("plugins"));
    PluginArchive.unzip(PluginArchive.zip(), plugins);
    Path demo = Files.createDirectories(plugins.resolve("csfle-demo-connectors"));
    Files.copy(PluginArchive.demoConnectorsJar(), demo.resolve("csfle-demo-connectors.jar"));

    List<Path> classpath = KafkaRuntime.jars(Path.of("").toAbsolutePath(), WORK_DIR);
    kafkaClasspath = classpath.stream().map(Path::toString).toList();
    // Isolation: nothing of ours and none of our own libraries on the worker's classpath.
    assertThat(classpath).allMatch(Files::isRegularFile);
    assertThat(classpath)
        .extracting(p -> p.getFileName().toString())
        .noneMatch(n -> n.startsWith("kafka-connect-csfle") || n.startsWith("tink-"))
        .anyMatch(n -> n.startsWith("connect-runtime-" + System.getProperty("kafka.version", "")));

    registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    kafka =
        KafkaProcesses.start(
            WORK_DIR, classpath, plugins, Instant.now().plus(Duration.ofSeconds(180)));
  }

  @AfterAll
  @Timeout(60)
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  @Timeout(60)
  void worker_listsOurTransformsWithOurVersionAndTheDemoConnectors() throws Exception {
    HttpResponse<String> response = kafka.get("/connector-plugins?connectorsOnly=false");
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, JsonNode> plugins = new LinkedHashMap<>();
    JSON.readTree(response.body()).forEach(p -> plugins.put(p.get("class").asText(), p));

    for (String smt : List.of("EncryptField$Value", "EncryptField$Key", "DecryptField$Value")) {
      JsonNode plugin = plugins.get("io.csfle.connect.transforms." + smt);
      assertThat(plugin).as(smt).isNotNull();
      assertThat(plugin.get("type").asText()).isEqualTo("transformation");
      assertThat(plugin.get("version").asText()).isEqualTo(PluginVersion.get());
    }
    assertThat(plugins)
        .containsKeys(
            CustomerSourceConnector.class.getName(), JsonLinesFileSinkConnector.class.getName());
    assertThat(PluginVersion.get()).isNotEqualTo("unknown");
  }

  @Test
  @Timeout(60)
  void keyTool_runsFromTheArchiveOnKafkasJarsAndListsTheRegistrysDeks() throws Exception {
    Map<String, String> transform = new LinkedHashMap<>();
    transform.put("fields", "email");
    transform.put("schema.registry.url", registry.url());
    transform.put("encrypt.kek.name", "admin-tool-kek");
    transform.put("encrypt.kms.type", "local-kms");
    transform.put("encrypt.kms.key.id", "admin-tool-kek");
    transform.put("kms.secret", SECRET);
    try (EncryptField<SourceRecord> encrypt = new EncryptField.Value<>()) {
      encrypt.configure(transform);
      Schema schema = SchemaBuilder.struct().field("email", Schema.STRING_SCHEMA).build();
      encrypt.apply(
          new SourceRecord(
              null, null, "tool", 0, schema, new Struct(schema).put("email", "a@example.com")));
    }
    Path config = WORK_DIR.resolve("dek-admin.properties");
    transform.remove("fields");
    Files.write(
        config,
        transform.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
        UTF_8);

    ToolRun subjects = runKeyTool(config, "subjects", "admin-tool-kek");
    assertThat(subjects.status()).as(subjects.err()).isZero();
    assertThat(subjects.out().lines()).contains("tool-value");

    // register wraps a new DEK with the KMS: the provider and Tink come from the archive's lib/.
    // Whatever the tool logs must stay off stdout, which holds exactly the JSON document.
    ToolRun register = runKeyTool(config, "register", "other-value", "--json");
    assertThat(register.status()).as(register.err()).isZero();
    assertThat(register.out().lines()).as(register.err()).hasSize(1);
    assertThat(register.out())
        .startsWith("{\"kek\":")
        .contains("\"dekCreated\":true")
        .doesNotContain("KeyMaterial");
  }

  private record ToolRun(int status, String out, String err) {}

  private ToolRun runKeyTool(Path config, String... command) throws Exception {
    List<String> commandLine = new ArrayList<>();
    // bash: the JDK's unzip above does not keep the file mode the zip records.
    commandLine.add("bash");
    commandLine.add(PLUGIN_DIR.resolve("bin/csfle-dek-admin").toString());
    commandLine.add("--config");
    commandLine.add(config.toString());
    commandLine.addAll(List.of(command));
    Path stderr = Files.createTempFile(WORK_DIR, "dek-admin", ".err");
    ProcessBuilder tool = new ProcessBuilder(commandLine).redirectError(stderr.toFile());
    tool.environment().remove("KAFKA_HOME");
    tool.environment().put("KAFKA_CLASSPATH", String.join(File.pathSeparator, kafkaClasspath));
    tool.environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process process = tool.start();
    String out = new String(process.getInputStream().readAllBytes(), UTF_8);
    int status = process.waitFor();
    return new ToolRun(status, out, Files.readString(stderr));
  }

  @Test
  @Timeout(150)
  void pipeline_topicHoldsCiphertextAndTheSinkGetsTheSourceData() throws Exception {
    Path sinkFile = WORK_DIR.resolve("decrypted.jsonl");
    putConnector("csfle-source", sourceConfig());
    putConnector("csfle-sink", sinkConfig(sinkFile));

    List<ConsumerRecord<byte[], byte[]>> raw = readRaw(COUNT);
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      String text = new String(record.value(), UTF_8);
      JsonNode payload = JSON.readTree(text).get("payload");
      int i = payload.get("id").asInt();
      // The record stays readable; its PII does not.
      assertThat(payload.get("customer").get("tier").asText()).isEqualTo(CustomerRecords.tier(i));
      assertThat(text)
          .doesNotContain(CustomerRecords.name(i))
          .doesNotContain(CustomerRecords.email(i))
          .doesNotContain(CustomerRecords.customerEmail(i))
          .doesNotContain(Base64.getEncoder().encodeToString(CustomerRecords.card(i)));
      if (CustomerRecords.ssn(i) != null) {
        assertThat(text).doesNotContain(CustomerRecords.ssn(i));
      }
    }

    List<JsonNode> received = readLines(sinkFile, COUNT);
    List<JsonNode> expected = new ArrayList<>();
    try (JsonConverter converter = new JsonConverter()) {
      converter.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
      for (int i = 0; i < COUNT; i++) {
        byte[] json =
            converter.fromConnectData(
                TOPIC, CustomerRecords.VALUE_SCHEMA, CustomerRecords.value(i));
        expected.add(JSON.readTree(json));
      }
    }
    assertThat(received).containsExactlyElementsOf(expected);
  }

  private static Map<String, String> sourceConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", CustomerSourceConnector.class.getName());
    config.put("tasks.max", "1");
    config.put(CustomerSourceConnector.TOPIC_CONFIG, TOPIC);
    config.put(CustomerSourceConnector.COUNT_CONFIG, String.valueOf(COUNT));
    config.putAll(transform("encrypt", "EncryptField$Value"));
    config.put("transforms.encrypt.encrypt.kms.type", "local-kms");
    config.put("transforms.encrypt.encrypt.kms.key.id", "process-it-kek");
    return config;
  }

  private static Map<String, String> sinkConfig(Path file) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("connector.class", JsonLinesFileSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", TOPIC);
    config.put(JsonLinesFileSinkConnector.FILE_CONFIG, file.toString());
    config.putAll(transform("decrypt", "DecryptField$Value"));
    return config;
  }

  private static Map<String, String> transform(String alias, String smt) {
    String prefix = "transforms." + alias + ".";
    return Map.of(
        "transforms",
        alias,
        prefix + "type",
        "io.csfle.connect.transforms." + smt,
        prefix + "fields",
        FIELDS,
        prefix + "schema.registry.url",
        registry.url(),
        prefix + "encrypt.kek.name",
        "process-it-kek",
        prefix + "kms.secret",
        SECRET);
  }

  private static void putConnector(String name, Map<String, String> config) throws Exception {
    HttpResponse<String> response =
        kafka.put("/connectors/" + name + "/config", JSON.writeValueAsString(config));
    assertThat(response.statusCode())
        .as("PUT %s: %s\n%s", name, response.body(), kafka.logTails())
        .isIn(200, 201);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readRaw(int count) throws Exception {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    Instant deadline = Instant.now().plus(RECORDS_TIMEOUT);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (records.size() < count && Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    assertThat(records)
        .as("records on %s\n%s\n%s", TOPIC, status("csfle-source"), kafka.logTails())
        .hasSize(count);
    return records;
  }

  private static List<JsonNode> readLines(Path file, int count) throws Exception {
    Instant deadline = Instant.now().plus(RECORDS_TIMEOUT);
    List<String> lines = List.of();
    while (Instant.now().isBefore(deadline)) {
      lines = Files.exists(file) ? completeLines(Files.readString(file, UTF_8)) : List.of();
      if (lines.size() >= count) {
        break;
      }
      Thread.sleep(250);
    }
    assertThat(lines)
        .as("lines in %s\n%s\n%s", file, status("csfle-sink"), kafka.logTails())
        .hasSize(count);
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : lines) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  /** The lines a reader may parse while the worker is still writing: up to the last newline. */
  private static List<String> completeLines(String text) {
    return text.lines().limit(text.chars().filter(c -> c == '\n').count()).toList();
  }

  private static String status(String connector) throws IOException, InterruptedException {
    return kafka.get("/connectors/" + connector + "/status").body();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(path);
      }
    }
  }
}
