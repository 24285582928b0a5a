package io.csfle.connect.plugin;

import io.csfle.connect.testkit.MavenRun;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jars of a plain Apache Kafka broker and Connect worker, resolved by Maven from {@code
 * scripts/quickstart-runtime/pom.xml} (the same list {@code scripts/quickstart} runs), not taken
 * from the test classpath: that one also holds this project's classes and runtime libraries, and a
 * worker started with them would load the plugin without its own class loader.
 */
final class KafkaRuntime {
  private static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(5);

  private KafkaRuntime() {}

  /**
   * Runs {@code mvn dependency:build-classpath} on the runtime pom with the Kafka version and local
   * repository of the build that runs the tests: offline first (all jars are usually cached), then
   * online.
   */
  static List<Path> jars(Path projectDir, Path workDir) throws IOException, InterruptedException {
    Path classpathFile = workDir.resolve("kafka-runtime.classpath");
    Path log = workDir.resolve("kafka-runtime-mvn.log");
    List<String> args = new ArrayList<>();
    args.addAll(List.of("-q", "dependency:build-classpath", "-Dmdep.outputFile=" + classpathFile));
    String kafkaVersion = System.getProperty("kafka.version");
    if (kafkaVersion != null) {
      args.add("-Dkafka.version=" + kafkaVersion);
    }
    MavenRun.run(
        projectDir.resolve("scripts/quickstart-runtime/pom.xml"),
        args,
        log,
        RESOLVE_TIMEOUT,
        "resolve the Kafka runtime");
    return Arrays.stream(Files.readString(classpathFile).trim().split(File.pathSeparator))
        .map(Path::of)
        .toList();
  }
}
