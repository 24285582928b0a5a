package io.csfle.connect.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code docker/compose.yaml} as a tree, with the few views of it the tests need. */
final class ComposeFile {
  /** One bind mount: a path on the host (resolved against the compose file's directory). */
  record BindMount(String service, String hostSpec, Path hostPath, String containerPath) {}

  private final Path directory;
  private final JsonNode root;

  private ComposeFile(Path directory, JsonNode root) {
    this.directory = directory;
    this.root = root;
  }

  static ComposeFile read(Path file) {
    try {
      return new ComposeFile(
          file.toAbsolutePath().getParent(),
          new ObjectMapper(new YAMLFactory()).readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path directory() {
    return directory;
  }

  /** Service name to its definition, in file order. */
  Map<String, JsonNode> services() {
    Map<String, JsonNode> services = new LinkedHashMap<>();
    root.path("services").properties().forEach(e -> services.put(e.getKey(), e.getValue()));
    return services;
  }

  /** The bind mounts of one service, short ({@code ./a:/b:ro}) and long syntax alike. */
  List<BindMount> bindMounts(String service) {
    List<BindMount> mounts = new ArrayList<>();
    for (JsonNode volume : services().get(service).path("volumes")) {
      String source;
      String target;
      if (volume.isTextual()) {
        String[] parts = volume.asText().split(":");
        if (parts.length < 2) {
          continue; // an anonymous volume
        }
        source = parts[0];
        target = parts[1];
      } else {
        if (!"bind".equals(volume.path("type").asText())) {
          continue;
        }
        source = volume.path("source").asText();
        target = volume.path("target").asText();
      }
      if (source.startsWith(".") || source.startsWith("/")) {
        mounts.add(new BindMount(service, source, directory.resolve(source).normalize(), target));
      }
    }
    return mounts;
  }

  /** Every bind mount of every service. */
  List<BindMount> bindMounts() {
    List<BindMount> mounts = new ArrayList<>();
    services().keySet().forEach(s -> mounts.addAll(bindMounts(s)));
    return mounts;
  }

  /**
   * What a service runs with: its environment, command and entrypoint, and the text of every
   * regular file mounted into it (its scripts).
   */
  String runtimeText(String service) {
    JsonNode definition = services().get(service);
    StringBuilder text = new StringBuilder();
    for (String field : List.of("environment", "command", "entrypoint")) {
      appendScalars(definition.path(field), text);
    }
    for (BindMount mount : bindMounts(service)) {
      if (Files.isRegularFile(mount.hostPath())) {
        try {
          text.append(Files.readString(mount.hostPath())).append('\n');
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return text.toString();
  }

  /** A service's environment as a map, whether written as a map or as a list of A=b. */
  Map<String, String> environment(String service) {
    JsonNode env = services().get(service).path("environment");
    Map<String, String> result = new LinkedHashMap<>();
    if (env.isArray()) {
      env.forEach(
          item -> {
            String[] parts = item.asText().split("=", 2);
            result.put(parts[0], parts.length > 1 ? parts[1] : "");
          });
    } else {
      env.properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
    }
    return result;
  }

  private static void appendScalars(JsonNode node, StringBuilder text) {
    if (node.isValueNode()) {
      text.append(node.asText()).append('\n');
    } else {
      node.forEach(child -> appendScalars(child, text));
    }
  }
}
