import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the plugin archive's SBOM, CycloneDX 1.6 JSON: our jar as the subject and one component
 * per library that the archive ships in {@code lib/}, with its SHA-256 and SHA-512.
 *
 * <p>The build runs this file with Java's source launcher (no compile step) on the output of {@code
 * dependency:list}, filtered the same way as the assembly's {@code lib/}. It exists because the
 * CycloneDX Maven plugin refuses to run in offline mode, and this build must work offline.
 *
 * <p>Arguments: dependency list, output file, then the plugin's group, artifact, version and
 * description. {@code SOURCE_DATE_EPOCH} fixes the timestamp for reproducible builds; the serial
 * number is derived from the content, so the same inputs give the same bytes.
 */
public final class PluginSbom {
  private static final List<String> SCOPES =
      List.of("compile", "runtime", "provided", "system", "test");
  private static final String[] HASHES = {"SHA-256", "SHA-512"};

  private PluginSbom() {}

  /** One line of {@code dependency:list}: {@code g:a:type[:classifier]:version:scope:path}. */
  record Library(
      String group, String name, String type, String classifier, String version, Path file) {

    static Library parse(String line) {
      String text = line.strip();
      int module = text.indexOf(" -- ");
      if (module >= 0) {
        text = text.substring(0, module);
      }
      String[] f = text.split(":", -1);
      if (f.length >= 6 && SCOPES.contains(f[4])) {
        return new Library(f[0], f[1], f[2], "", f[3], Path.of(rest(f, 5)));
      }
      if (f.length >= 7 && SCOPES.contains(f[5])) {
        return new Library(f[0], f[1], f[2], f[3], f[4], Path.of(rest(f, 6)));
      }
      throw new IllegalArgumentException("not a dependency:list line: " + line);
    }

    /** The path may hold colons (a Windows drive letter). */
    private static String rest(String[] fields, int from) {
      return String.join(":", List.of(fields).subList(from, fields.length));
    }

    String purl() {
      String qualifiers =
          (classifier.isEmpty() ? "" : "classifier=" + encode(classifier) + "&")
              + "type="
              + encode(type);
      return "pkg:maven/"
          + encode(group)
          + "/"
          + encode(name)
          + "@"
          + encode(version)
          + "?"
          + qualifiers;
    }
  }

  public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
    if (args.length != 6) {
      throw new IllegalArgumentException(
          "usage: PluginSbom <dependency list> <output> <group> <artifact> <version> <description>");
    }
    List<Library> libraries = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      if (line.startsWith("   ") && line.contains(":")) {
        libraries.add(Library.parse(line));
      }
    }
    if (libraries.isEmpty()) {
      throw new IllegalStateException("no dependencies in " + args[0]);
    }
    libraries.sort(Comparator.comparing(Library::purl));
    Library plugin = new Library(args[2], args[3], "jar", "", args[4], null);

    List<Object> components = new ArrayList<>();
    for (Library library : libraries) {
      Map<String, Object> component = component(library);
      component.put("hashes", hashes(library.file()));
      components.add(component);
    }
    Map<String, Object> subject = component(plugin);
    subject.put("description", args[5]);
    String timestamp = timestamp().toString();

    Map<String, Object> bom = new LinkedHashMap<>();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.6");
    bom.put("serialNumber", serialNumber(timestamp, subject, components));
    bom.put("version", 1);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("timestamp", timestamp);
    metadata.put("component", subject);
    bom.put("metadata", metadata);
    bom.put("components", components);

    StringBuilder json = new StringBuilder();
    Json.write(json, bom, "");
    json.append('\n');
    Path output = Path.of(args[1]);
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, json, StandardCharsets.UTF_8);
    System.out.println("SBOM with " + components.size() + " components: " + output);
  }

  private static Map<String, Object> component(Library library) {
    Map<String, Object> component = new LinkedHashMap<>();
    component.put("type", "library");
    component.put("bom-ref", library.purl());
    component.put("group", library.group());
    component.put("name", library.name());
    component.put("version", library.version());
    component.put("purl", library.purl());
    return component;
  }

  private static List<Object> hashes(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest[] digests = new MessageDigest[HASHES.length];
    for (int i = 0; i < HASHES.length; i++) {
      digests[i] = MessageDigest.getInstance(HASHES[i]);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (MessageDigest digest : digests) {
          digest.update(buffer, 0, n);
        }
      }
    }
    List<Object> hashes = new ArrayList<>();
    for (int i = 0; i < HASHES.length; i++) {
      hashes.add(
          Map.of("alg", HASHES[i], "content", HexFormat.of().formatHex(digests[i].digest())));
    }
    return hashes;
  }

  private static Instant timestamp() {
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    if (epoch != null && !epoch.isBlank()) {
      return Instant.ofEpochSecond(Long.parseLong(epoch.strip()));
    }
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /** A name-based UUID of the content: a different SBOM never shares it, a rebuild does. */
  private static String serialNumber(String timestamp, Object subject, List<Object> components) {
    StringBuilder content = new StringBuilder(timestamp);
    Json.write(content, subject, "");
    Json.write(content, components, "");
    UUID uuid = UUID.nameUUIDFromBytes(content.toString().getBytes(StandardCharsets.UTF_8));
    return "urn:uuid:" + uuid;
  }

  /** Package URL components are percent-encoded (a space as %20, never '+'). */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Just enough JSON: ordered maps, lists, strings and integers, indented by two spaces. */
  static final class Json {
    private Json() {}

    static void write(StringBuilder out, Object value, String indent) {
      String inner = indent + "  ";
      if (value instanceof Map<?, ?> map) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (!(map instanceof LinkedHashMap)) {
          entries.sort(Comparator.comparing(e -> e.getKey().toString()));
        }
        out.append("{\n");
        for (int i = 0; i < entries.size(); i++) {
          out.append(inner);
          string(out, entries.get(i).getKey().toString());
          out.append(": ");
          write(out, entries.get(i).getValue(), inner);
          out.append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        out.append(indent).append('}');
      } else if (value instanceof List<?> list) {
        out.append("[\n");
        for (int i = 0; i < list.size(); i++) {
          out.append(inner);
          write(out, list.get(i), inner);
          out.append(i + 1 < list.size() ? ",\n" : "\n");
        }
        out.append(indent).append(']');
      } else if (value instanceof Integer number) {
        out.append(number);
      } else {
        string(out, value.toString());
      }
    }

    private static void string(StringBuilder out, String text) {
      out.append('"');
      for (char c : text.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
  }
}
