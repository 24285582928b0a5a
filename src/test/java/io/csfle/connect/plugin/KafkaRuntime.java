package io.csfle.connect.plugin;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The jars of a plain Apache Kafka broker and Connect worker, resolved by Maven from {@code
 * scripts/quickstart-runtime/pom.xml} (the same list {@code scripts/quickstart} runs), not taken
 * from the test classpath: that one also holds this project's classes and runtime libraries, and a
 * worker started with them would load the plugin without its own class loader.
 */
final class KafkaRuntime {
  private static final long RESOLVE_TIMEOUT_MINUTES = 5;

  private KafkaRuntime() {}

  /**
   * Runs {@code mvn dependency:build-classpath} on the runtime pom with the Kafka version and local
   * repository of the build that runs the tests: offline first (all jars are usually cached), then
   * online.
   */
  static List<Path> jars(Path projectDir, Path workDir) throws IOException, InterruptedException {
    Path classpathFile = workDir.resolve("kafka-runtime.classpath");
    Path log = workDir.resolve("kafka-runtime-mvn.log");
    List<String> command = new ArrayList<>();
    String mavenHome = System.getProperty("maven.home");
    command.add(mavenHome == null ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString());
    command.addAll(
        List.of(
            "-B",
            "-q",
            "-f",
            projectDir.resolve("scripts/quickstart-runtime/pom.xml").toString(),
            "dependency:build-classpath",
            "-Dmdep.outputFile=" + classpathFile));
    String kafkaVersion = System.getProperty("kafka.version");
    if (kafkaVersion != null) {
      command.add("-Dkafka.version=" + kafkaVersion);
    }
    String repo = System.getProperty("maven.repo.local");
    if (repo != null) {
      command.add("-Dmaven.repo.local=" + repo);
    }
    List<String> offline = new ArrayList<>(command);
    offline.add("-o");
    if (run(offline, log) != 0 && run(command, log) != 0) {
      throw new IllegalStateException(
          "Maven could not resolve the Kafka runtime:\n" + Files.readString(log));
    }
    return Arrays.stream(Files.readString(classpathFile).trim().split(File.pathSeparator))
        .map(Path::of)
        .toList();
  }

  private static int run(List<String> command, Path log) throws IOException, InterruptedException {
    Process maven =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!maven.waitFor(RESOLVE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      maven.destroyForcibly();
      throw new IllegalStateException("Maven did not resolve the Kafka runtime in time: " + log);
    }
    return maven.exitValue();
  }
}
