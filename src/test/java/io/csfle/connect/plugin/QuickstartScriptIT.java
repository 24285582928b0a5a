package io.csfle.connect.plugin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.testing.CustomerRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/quickstart} as a user runs it: start, rerun, stop, in a work directory of its own
 * and on free ports, with the script's defaults otherwise: local-kms and the embedded Kafka DEK
 * store in the quickstart's own broker.
 */
class QuickstartScriptIT {
  private static final Path HOME = Path.of("target", "quickstart-it").toAbsolutePath();
  private static final int COUNT = 4;
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
  @Timeout(400)
  void startRerunStop_showCiphertextOnTheTopicAndPlaintextInTheSink() throws Exception {
    List<String> first = run("start");
    String raw = lineAfter(first, "raw (JsonConverter payload");
    String decrypted = lineAfter(first, "after DecryptField");
    assertThat(raw).contains("\"id\":1").doesNotContain(CustomerRecords.email(1));
    assertThat(raw).doesNotContain(CustomerRecords.name(1)).contains("\"tier\":\"silver\"");
    assertThat(JSON.readTree(decrypted)).isEqualTo(JSON.readTree(expectedJson(1)));
    List<String> sink = Files.readAllLines(HOME.resolve("decrypted.jsonl"), UTF_8);
    assertThat(sink).hasSize(COUNT);
    for (int i = 0; i < COUNT; i++) {
      assertThat(JSON.readTree(sink.get(i))).isEqualTo(JSON.readTree(expectedJson(i)));
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

    run("stop");
    assertThat(run("status")).contains("broker: stopped", "worker: stopped");
  }

  private static String expectedJson(int i) {
    try (JsonConverter converter = new JsonConverter()) {
      converter.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
      return new String(
          converter.fromConnectData(
              "customers", CustomerRecords.VALUE_SCHEMA, CustomerRecords.value(i)),
          UTF_8);
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
  private static List<String> run(String command) throws IOException, InterruptedException {
    Files.createDirectories(HOME.getParent());
    Path log = HOME.resolveSibling("quickstart-it-" + command + ".log");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "scripts/quickstart", command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
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
        .as("scripts/quickstart %s:\n%s\n%s", command, String.join("\n", output), logTails())
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
