package io.csfle.connect.plugin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.testing.CustomerRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/quickstart} as a user runs it: start, rerun, re-encrypt, forget a customer, stop,
 * in a work directory of its own and on free ports, with the script's defaults otherwise: local-kms
 * and the embedded Kafka DEK store in the quickstart's own broker. The tests run in order on the
 * one quickstart the first one starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartScriptIT {
  private static final Path HOME = Path.of("target", "quickstart-it").toAbsolutePath();
  private static final int COUNT = 7;
  private static final String ENTITY_TOPIC = "customers.entities";
  private static final int FORGOTTEN = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, String> env;

  @BeforeAll
  static void choosePorts() throws IOException {
    env =
        Map.of(
            "QUICKSTART_HOME", HOME.toString(),
            "QUICKSTART_COUNT", String.valueOf(COUNT),
            "QUICKSTART_BROKER_PORT", String.valueOf(KafkaProcesses.freePort()),
            "QUICKSTART_CONTROLLER_PORT", String.valueOf(KafkaProcesses.freePort()),
            "QUICKSTART_CONNECT_PORT", String.valueOf(KafkaProcesses.freePort()));
  }

  @AfterAll
  @Timeout(120)
  static void stopEverything() throws Exception {
    run("clean");
  }

  @Test
  @Order(1)
  @Timeout(400)
  void startRerunReencrypt_showCiphertextOnTheTopicAndPlaintextInTheSink() throws Exception {
    List<String> first = run("start");
    String raw = lineAfter(first, "raw (JsonConverter payload");
    String decrypted = lineAfter(first, "after DecryptField");
    assertThat(raw).contains("\"id\":1").doesNotContain(CustomerRecords.email(1));
    assertThat(raw).doesNotContain(CustomerRecords.name(1)).contains("\"tier\":\"silver\"");
    assertThat(JSON.readTree(decrypted)).isEqualTo(JSON.readTree(expectedJson(1, false)));
    List<String> sink = Files.readAllLines(HOME.resolve("decrypted.jsonl"), UTF_8);
    assertThat(sink).hasSize(COUNT);
    for (int i = 0; i < COUNT; i++) {
      assertThat(JSON.readTree(sink.get(i))).isEqualTo(JSON.readTree(expectedJson(i, false)));
    }

    List<String> again = run("start");
    assertThat(again)
        .anyMatch(l -> l.startsWith("broker already running"))
        .anyMatch(l -> l.startsWith("Connect worker already running"));
    assertThat(Files.readAllLines(HOME.resolve("decrypted.jsonl"), UTF_8)).isEqualTo(sink);

    // The re-encryption job moves the topic to a second KEK; its output decrypts to the same data.
    assertThat(run("reencrypt"))
        .anyMatch(l -> l.startsWith("Re-encryption job 'customers-reencrypt' complete"))
        .anyMatch(l -> l.contains("decrypts to exactly what 'customers' did"));
    assertThat(Files.readAllLines(HOME.resolve("reencrypted.jsonl"), UTF_8)).isEqualTo(sink);

    // The key tool from the installed archive lists the DEK subject the source connector created.
    assertThat(run("keys")).contains("customers-value");
  }

  @Test
  @Order(2)
  @Timeout(400)
  void forgetOneCustomer_replaysItsFieldsAsNull_andEveryOtherCustomerDecrypted() throws Exception {
    List<String> entities = run("entities");
    assertThat(entities).contains("  customer-0", "  customer-" + FORGOTTEN);
    // Before the forget, every customer decrypts, the forgotten one included.
    List<String> before = Files.readAllLines(HOME.resolve("entities.jsonl"), UTF_8);
    assertThat(before).hasSize(COUNT);
    for (int i = 0; i < COUNT; i++) {
      assertThat(JSON.readTree(before.get(i))).isEqualTo(JSON.readTree(expectedJson(i, true)));
    }
    assertNoPlaintext(rawValues(ENTITY_TOPIC));

    List<String> forget = run("forget", "customer-" + FORGOTTEN);
    assertThat(forget)
        .anyMatch(
            l ->
                l.contains("Forgot DEK 'customer-" + FORGOTTEN + "' versions [1]")
                    && l.contains("-entities'"));
    assertThat(HOME.resolve("forget-audit.log")).content().contains("'customer-" + FORGOTTEN + "'");
    List<String> replayed = Files.readAllLines(HOME.resolve("entities-replay.jsonl"), UTF_8);
    assertErasedOnlyForTheForgotten(replayed);
    // What the first sink stored before the forget stays as it was: plaintext already released.
    assertThat(Files.readAllLines(HOME.resolve("entities.jsonl"), UTF_8)).isEqualTo(before);

    // Forgetting again destroys nothing, and the replay starts over from the first record.
    assertThat(run("forget", "customer-" + FORGOTTEN))
        .anyMatch(l -> l.contains("has no key left"))
        .noneMatch(l -> l.contains("Forgot DEK"));
    assertThat(Files.readAllLines(HOME.resolve("entities-replay.jsonl"), UTF_8))
        .isEqualTo(replayed);
  }

  @Test
  @Order(3)
  @Timeout(120)
  void stop_leavesBrokerAndWorkerStopped() throws Exception {
    run("stop");
    assertThat(run("status")).contains("broker: stopped", "worker: stopped");
  }

  private static void assertErasedOnlyForTheForgotten(List<String> replayed) throws IOException {
    assertThat(replayed).hasSize(COUNT);
    int erased = 0;
    for (String line : replayed) {
      JsonNode value = JSON.readTree(line);
      int i = value.get("id").asInt();
      if (value.get("customer_id").asLong() != FORGOTTEN) {
        assertThat(value).isEqualTo(JSON.readTree(expectedJson(i, true)));
        continue;
      }
      erased++;
      for (String field : List.of("name", "email", "ssn", "card")) {
        assertThat(value.get(field).isNull()).as("%s of record %d", field, i).isTrue();
      }
      assertThat(value.at("/customer/email").isNull()).isTrue();
      assertThat(value.at("/customer/tier").asText()).isEqualTo(CustomerRecords.tier(i));
    }
    long expected =
        Stream.iterate(0, i -> i + 1)
            .limit(COUNT)
            .filter(i -> CustomerRecords.customerNumber(i) == FORGOTTEN)
            .count();
    assertThat(erased).isEqualTo(expected).isPositive();
  }

  /** The record values of a topic as the broker holds them, JsonConverter text. */
  private static List<String> rawValues(String topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            "localhost:" + env.get("QUICKSTART_BROKER_PORT"),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      Instant deadline = Instant.now().plusSeconds(30);
      while (values.size() < COUNT && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(new String(r.value(), UTF_8));
        }
      }
    }
    assertThat(values).hasSize(COUNT);
    return values;
  }

  private static void assertNoPlaintext(List<String> raw) {
    for (int i = 0; i < COUNT; i++) {
      String value = raw.get(i);
      assertThat(value).contains("\"customer_id\":" + CustomerRecords.customerNumber(i));
      assertThat(value)
          .doesNotContain(CustomerRecords.name(i))
          .doesNotContain(CustomerRecords.email(i))
          .doesNotContain(CustomerRecords.customerEmail(i))
          .doesNotContain(Base64.getEncoder().encodeToString(CustomerRecords.card(i)));
      if (CustomerRecords.ssn(i) != null) {
        assertThat(value).doesNotContain(CustomerRecords.ssn(i));
      }
    }
  }

  /** Record {@code i} as a sink writes it decrypted, with {@code customer_id} first or without. */
  private static String expectedJson(int i, boolean withCustomerId) {
    Schema schema =
        withCustomerId
            ? CustomerRecords.VALUE_WITH_CUSTOMER_ID_SCHEMA
            : CustomerRecords.VALUE_SCHEMA;
    Struct value =
        withCustomerId ? CustomerRecords.valueWithCustomerId(i) : CustomerRecords.value(i);
    try (JsonConverter converter = new JsonConverter()) {
      converter.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
      return new String(converter.fromConnectData("customers", schema, value), UTF_8);
    }
  }

  private static String lineAfter(List<String> lines, String heading) {
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).contains(heading)) {
        return lines.get(i + 1).trim();
      }
    }
    throw new AssertionError("no line after '" + heading + "' in\n" + String.join("\n", lines));
  }

  /** Runs the script with a command; its output (stdout and stderr) is returned and logged. */
  private static List<String> run(String... command) throws IOException, InterruptedException {
    Files.createDirectories(HOME.getParent());
    Path log = HOME.resolveSibling("quickstart-it-" + String.join("-", command) + ".log");
    List<String> commandLine = new ArrayList<>(List.of("bash", "scripts/quickstart"));
    commandLine.addAll(List.of(command));
    ProcessBuilder builder =
        new ProcessBuilder(commandLine).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    String repo = System.getProperty("maven.repo.local");
    List<String> mavenOptions = new ArrayList<>();
    if (repo != null) {
      mavenOptions.add("-Dmaven.repo.local=" + repo);
    }
    builder.environment().put("MVN_OPTS_EXTRA", String.join(" ", mavenOptions));
    Process script = builder.start();
    boolean exited = script.waitFor(300, TimeUnit.SECONDS);
    if (!exited) {
      script.destroyForcibly();
    }
    List<String> output = Files.readAllLines(log, UTF_8);
    assertThat(exited && script.exitValue() == 0)
        .as(
            "scripts/quickstart %s:\n%s\n%s",
            String.join(" ", command), String.join("\n", output), logTails())
        .isTrue();
    return output;
  }

  private static String logTails() {
    if (!Files.isDirectory(HOME)) {
      return "";
    }
    try (Stream<Path> logs = Files.list(HOME)) {
      return String.join(
          "\n",
          logs.filter(p -> p.toString().endsWith(".log"))
              .map(p -> KafkaProcesses.tail(p, 40))
              .toList());
    } catch (IOException e) {
      return "";
    }
  }
}
