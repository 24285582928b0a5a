package io.csfle.connect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin directory that {@code mvn package} builds for {@code plugin.path}: our jar and its
 * runtime libraries, none of the worker's own jars, and small enough to upload as a custom plugin.
 */
class PluginPackageIT {
  private static final long MAX_BYTES = 50L * 1024 * 1024;

  private static List<Path> libJars() throws IOException {
    Path target = Path.of("target");
    try (Stream<Path> dirs = Files.list(target)) {
      Path plugin =
          dirs.filter(p -> p.getFileName().toString().endsWith("-plugin") && Files.isDirectory(p))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no plugin directory under target/"));
      try (Stream<Path> jars = Files.list(plugin.resolve("kafka-connect-csfle/lib"))) {
        return jars.sorted().toList();
      }
    }
  }

  private static List<String> names(List<Path> jars) {
    return jars.stream().map(p -> p.getFileName().toString()).toList();
  }

  @Test
  void pluginDirectory_holdsOurJarTinkAndKmsClientsButNotTheWorkersJars() throws IOException {
    List<String> names = names(libJars());
    assertThat(names).anyMatch(n -> n.startsWith("kafka-connect-csfle-"));
    assertThat(names).anyMatch(n -> n.startsWith("tink-"));
    assertThat(names).anyMatch(n -> n.startsWith("kms-"));
    assertThat(names)
        .noneMatch(n -> n.startsWith("kafka-clients") || n.startsWith("connect-"))
        .noneMatch(n -> n.startsWith("slf4j-"));
  }

  @Test
  void pluginDirectory_staysUnder50Megabytes() throws IOException {
    long bytes = 0;
    for (Path jar : libJars()) {
      bytes += Files.size(jar);
    }
    assertThat(bytes).isLessThan(MAX_BYTES);
  }
}
