package io.csfle.connect.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.docker.ComposeFile.BindMount;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * {@code docker/compose.yaml} cannot be started here (no Docker engine), so what can rot without
 * anyone noticing is checked statically: pinned images, mounted files that exist, the plugin
 * directory the build really produces, and connector configs that our transforms accept.
 */
class ComposeFileTest {
  private static final Path COMPOSE = Path.of("docker", "compose.yaml");

  /** A JSON file named by container path in a service's command, environment or scripts. */
  private static final Pattern JSON_PATH = Pattern.compile("(/[\\w./-]+\\.json)\\b");

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([^}:]+)}");

  private static ComposeFile compose;

  @BeforeAll
  static void readComposeFile() {
    compose = ComposeFile.read(COMPOSE);
  }

  @Test
  void everyService_hasAPinnedImageOrAnExistingBuildContext() {
    assertThat(compose.services()).isNotEmpty();
    compose
        .services()
        .forEach(
            (name, service) -> {
              if (service.has("build")) {
                JsonNode build = service.get("build");
                String context =
                    build.isTextual() ? build.asText() : build.path("context").asText();
                assertThat(compose.directory().resolve(context)).as(name).isDirectory();
              } else {
                assertThat(service.path("image").asText()).as(name).isNotEmpty();
                assertThat(tagOf(service.path("image").asText()))
                    .as("tag of %s's image %s", name, service.path("image").asText())
                    .isNotEmpty()
                    .isNotEqualToIgnoringCase("latest");
              }
            });
  }

  @Test
  void imageTagParsing_findsTagsBehindRegistryPortsAndDigests() {
    assertThat(tagOf("ghcr.io/axonops/axonops-schema-registry:0.2.1")).isEqualTo("0.2.1");
    assertThat(tagOf("registry.local:5000/kafka")).isEmpty();
    assertThat(tagOf("postgres")).isEmpty();
    assertThat(tagOf("postgres@sha256:abc")).isEqualTo("sha256:abc");
  }

  @Test
  void everyBindMount_existsInTheRepositoryExceptTheBuiltPlugin() throws Exception {
    String pluginDir = expectedPluginDirectory();
    List<BindMount> mounts = compose.bindMounts();
    assertThat(mounts).isNotEmpty();
    for (BindMount mount : mounts) {
      if (mount.hostSpec().startsWith("../target/")) {
        assertThat(mount.hostSpec())
            .as("%s mounts a build output; it must be the plugin directory", mount.service())
            .isEqualTo(pluginDir);
      } else {
        assertThat(mount.hostPath()).as("%s mounts %s", mount.service(), mount.hostSpec()).exists();
      }
    }
  }

  @Test
  void pluginMount_isTheAssemblyOutputForThePomVersion() throws Exception {
    String pluginDir = expectedPluginDirectory();

    assertThat(compose.bindMounts())
        .filteredOn(m -> m.hostSpec().equals(pluginDir))
        .singleElement()
        .satisfies(m -> assertThat(m.containerPath()).startsWith("/kafka/connect/"));
  }

  @Test
  void postedConnectorConfigs_existParseAsJsonAndEncryptThenDecrypt() throws IOException {
    Map<Path, Map<String, String>> configs = postedConfigs();

    assertThat(configs).hasSizeGreaterThanOrEqualTo(2);
    List<String> transformTypes = new ArrayList<>();
    configs.values().forEach(c -> c.forEach((k, v) -> addIfType(k, v, transformTypes)));
    assertThat(transformTypes)
        .contains(EncryptField.Value.class.getName(), DecryptField.Value.class.getName());
  }

  @Test
  void postedConnectorConfigs_useOnlyKeysTheirTransformsDefine() throws IOException {
    postedConfigs()
        .forEach(
            (file, config) -> assertThat(TransformKeys.problems(config)).as("%s", file).isEmpty());
  }

  @Test
  void misspeltTransformKey_isReported() throws IOException {
    Map.Entry<Path, Map<String, String>> first = postedConfigs().entrySet().iterator().next();
    Map<String, String> config = new HashMap<>(first.getValue());
    String alias = config.get("transforms").split(",")[0].trim();
    String prefix = "transforms." + alias + ".";
    config.put(prefix + "encrypt.kek.nmae", "typo");
    config.put("transforms.unlisted.fields", "email");

    assertThat(TransformKeys.problems(config))
        .anySatisfy(p -> assertThat(p).startsWith(prefix + "encrypt.kek.nmae: not a key of"))
        .anySatisfy(p -> assertThat(p).contains("transforms.unlisted.fields: belongs to no alias"));
  }

  @Test
  void postedConnectorConfigs_readOnlyEnvironmentVariablesTheWorkerHas() throws Exception {
    String worker = workerService();
    Map<String, String> workerEnv = compose.environment(worker);
    for (Map.Entry<Path, Map<String, String>> entry : postedConfigs().entrySet()) {
      for (String value : entry.getValue().values()) {
        Matcher m = ENV_REFERENCE.matcher(value);
        while (m.find()) {
          assertThat(workerEnv)
              .as("%s reads ${env:%s}", entry.getKey(), m.group(1))
              .containsKey(m.group(1));
        }
      }
    }
    assertThat(workerEnv.get("CONNECT_CONFIG_PROVIDERS")).contains("env", "file");
  }

  // ---- helpers ----

  /**
   * The connector configs some service posts: JSON files its command, environment or scripts name
   * by container path, mapped back through its bind mounts to files in the repository.
   */
  private static Map<Path, Map<String, String>> postedConfigs() throws IOException {
    Map<Path, Map<String, String>> configs = new LinkedHashMap<>();
    ObjectMapper mapper = new ObjectMapper();
    for (String service : compose.services().keySet()) {
      Matcher m = JSON_PATH.matcher(compose.runtimeText(service));
      while (m.find()) {
        String containerPath = m.group(1);
        Path host = hostPathOf(service, containerPath);
        assertThat(host).as("%s posts %s", service, containerPath).isRegularFile();
        configs.put(
            host, mapper.readValue(host.toFile(), new TypeReference<Map<String, String>>() {}));
      }
    }
    return configs;
  }

  private static Path hostPathOf(String service, String containerPath) {
    for (BindMount mount : compose.bindMounts(service)) {
      String target = mount.containerPath();
      if (containerPath.equals(target)) {
        return mount.hostPath();
      }
      if (containerPath.startsWith(target + "/")) {
        return mount.hostPath().resolve(containerPath.substring(target.length() + 1));
      }
    }
    throw new AssertionError(service + " names " + containerPath + " but mounts no such path");
  }

  /** The service that mounts our plugin: the Connect worker. */
  private static String workerService() throws Exception {
    String pluginDir = expectedPluginDirectory();
    return compose.bindMounts().stream()
        .filter(m -> m.hostSpec().equals(pluginDir))
        .map(BindMount::service)
        .findFirst()
        .orElseThrow();
  }

  /**
   * {@code ../target/<artifactId>-<version>-<assembly id>/<base directory>}: where {@code mvn
   * package} puts the plugin directory, from the pom and connect-plugin/assembly.xml.
   */
  private static String expectedPluginDirectory() throws Exception {
    Document pom = xml(Path.of("pom.xml"));
    Document assembly = xml(Path.of("connect-plugin", "assembly.xml"));
    var xpath = XPathFactory.newInstance().newXPath();
    String artifactId = xpath.evaluate("/project/artifactId", pom).trim();
    String version = xpath.evaluate("/project/version", pom).trim();
    String id = xpath.evaluate("/assembly/id", assembly).trim();
    String base = xpath.evaluate("/assembly/baseDirectory", assembly).trim();
    assertThat(List.of(artifactId, version, id, base)).doesNotContain("");
    return "../target/" + artifactId + "-" + version + "-" + id + "/" + base;
  }

  private static Document xml(Path file) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
  }

  /** The tag of an image reference, or its digest, or "" when neither is given. */
  private static String tagOf(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return image.substring(at + 1);
    }
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "";
  }

  private static void addIfType(String key, String value, List<String> types) {
    if (key.startsWith("transforms.") && key.endsWith(".type")) {
      types.add(value);
    }
  }
}
