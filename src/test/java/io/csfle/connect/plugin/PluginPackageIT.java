package io.csfle.connect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.PluginVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin that {@code mvn package} builds, as a directory for {@code plugin.path} and as a
 * Confluent Hub archive with the same content: {@code manifest.json}, our jar and its runtime
 * libraries in {@code lib/} (none of the worker's own jars, small enough to upload as a custom
 * plugin), documentation in {@code doc/}, the sample configs in {@code etc/} and the key tool in
 * {@code bin/}.
 */
@Timeout(60)
class PluginPackageIT {
  private static final long MAX_BYTES = 50L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Path> libJars() throws IOException {
    try (Stream<Path> jars = Files.list(PluginArchive.directory().resolve("lib"))) {
      return jars.sorted().toList();
    }
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(p -> p.getFileName().toString()).toList();
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

  @Test
  void manifest_describesThisBuildAsAConfluentHubComponent() throws IOException {
    JsonNode manifest = JSON.readTree(PluginArchive.directory().resolve("manifest.json").toFile());
    assertThat(manifest.get("name").asText()).isEqualTo(PluginArchive.ROOT);
    assertThat(manifest.get("version").asText())
        .isEqualTo(PluginVersion.get())
        .doesNotContain("${");
    for (String field : List.of("title", "description", "documentation_url", "release_date")) {
      assertThat(manifest.get(field).asText()).as(field).isNotBlank().doesNotContain("${");
    }
    assertThat(manifest.at("/owner/username").asText()).isNotBlank().doesNotContain("${");
    assertThat(manifest.at("/owner/name").asText()).isNotBlank().doesNotContain("${");
    assertThat(manifest.at("/license/0/name").asText()).isNotBlank().doesNotContain("${");
    assertThat(manifest.get("component_types"))
        .extracting(JsonNode::asText)
        .containsExactly("transform", "source");
    assertThat(manifest.get("requirements")).isNotEmpty();
    assertThat(manifest.at("/features/single_message_transforms").asBoolean()).isTrue();
  }

  @Test
  void pluginDirectory_shipsTheDocsAndExactlyTheSampleConfigs() throws IOException {
    Path plugin = PluginArchive.directory();
    assertThat(plugin.resolve("doc/README.md")).isRegularFile();
    assertThat(plugin.resolve("doc/FORMAT.md")).isRegularFile();
    assertThat(plugin.resolve("bin/csfle-dek-admin")).isRegularFile().isExecutable();
    if (Files.exists(Path.of("LICENSE"))) {
      assertThat(plugin.resolve("doc/LICENSE")).isRegularFile();
    }
    try (Stream<Path> shipped = Files.list(plugin.resolve("etc"));
        Stream<Path> samples = Files.list(Path.of("config-examples"))) {
      List<String> shippedNames = names(shipped.sorted().toList());
      assertThat(shippedNames).isNotEmpty().isEqualTo(names(samples.sorted().toList()));
      for (String name : shippedNames) {
        assertThat(plugin.resolve("etc").resolve(name))
            .hasSameBinaryContentAs(Path.of("config-examples", name));
      }
    }
  }

  @Test
  void zip_holdsTheSameFilesAsTheDirectoryUnderOneRootFolder() throws IOException {
    Path plugin = PluginArchive.directory();
    Set<String> inDirectory;
    try (Stream<Path> files = Files.walk(plugin)) {
      inDirectory =
          files
              .filter(Files::isRegularFile)
              .map(
                  p ->
                      PluginArchive.ROOT + "/" + plugin.relativize(p).toString().replace('\\', '/'))
              .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> inZip = new TreeSet<>();
    try (InputStream in = Files.newInputStream(PluginArchive.zip());
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        assertThat(entry.getName()).startsWith(PluginArchive.ROOT + "/");
        if (!entry.isDirectory()) {
          inZip.add(entry.getName());
        }
      }
    }
    assertThat(inZip).isEqualTo(inDirectory).contains(PluginArchive.ROOT + "/manifest.json");
  }
}
