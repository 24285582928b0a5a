package io.csfle.connect.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.PluginVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an operator can check before installing the archive: {@code <zip>.sha256} is the SHA-256 of
 * the zip's bytes in {@code sha256sum} format, and the CycloneDX SBOM inside it ({@code
 * sbom.cdx.json}, also beside the zip) names exactly the jars the archive ships in {@code lib/},
 * with their hashes, and our jar as its subject. Everything is read from the zip itself, the file
 * an operator receives.
 */
@Timeout(60)
class PluginSupplyChainIT {
  private static final String SBOM_ENTRY = PluginArchive.ROOT + "/sbom.cdx.json";
  private static final String LIB = PluginArchive.ROOT + "/lib/";
  private static final Pattern MAVEN_PURL =
      Pattern.compile("pkg:maven/([^/@?]+)/([^/@?]+)@([^?]+)\\?(.+)");
  private static final Pattern SHA256SUM_LINE = Pattern.compile("([0-9a-f]{64})  (\\S+)\n?");
  private static final Pattern SERIAL_NUMBER =
      Pattern.compile(
          "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** File name in lib/ to its hashes by algorithm name (SHA-256, SHA-512), hex. */
  private static final Map<String, Map<String, String>> LIB_JARS = new TreeMap<>();

  private static byte[] sbomInZip;
  private static JsonNode sbom;

  @BeforeAll
  static void readArchive() throws IOException {
    LIB_JARS.clear();
    sbomInZip = null;
    try (InputStream in = Files.newInputStream(PluginArchive.zip());
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        String name = entry.getName();
        if (name.equals(SBOM_ENTRY)) {
          sbomInZip = zip.readAllBytes();
        } else if (!entry.isDirectory() && name.startsWith(LIB)) {
          String jar = name.substring(LIB.length());
          assertThat(LIB_JARS).as("duplicate entry").doesNotContainKey(jar);
          LIB_JARS.put(jar, hashes(zip));
        }
      }
    }
    assertThat(sbomInZip).as(SBOM_ENTRY + " in the zip").isNotNull();
    assertThat(LIB_JARS).isNotEmpty();
    sbom = JSON.readTree(sbomInZip);
  }

  @Test
  void sbom_listsExactlyTheJarsInLib() {
    List<String> named = new ArrayList<>();
    named.add(jarName(sbom.at("/metadata/component")));
    sbom.get("components").forEach(component -> named.add(jarName(component)));

    assertThat(named).doesNotHaveDuplicates();
    assertThat(named).containsExactlyInAnyOrderElementsOf(LIB_JARS.keySet());
  }

  @Test
  void sbom_givesEachShippedLibraryTheHashesOfItsBytes() {
    for (JsonNode component : sbom.get("components")) {
      String jar = jarName(component);
      Map<String, String> stated = new HashMap<>();
      component
          .get("hashes")
          .forEach(hash -> stated.put(hash.get("alg").asText(), hash.get("content").asText()));
      assertThat(stated).as(jar).isEqualTo(LIB_JARS.get(jar));
    }
  }

  @Test
  void sbom_isCycloneDx16WithOurJarAsItsSubject() {
    assertThat(sbom.get("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(sbom.get("specVersion").asText()).isEqualTo("1.6");
    assertThat(sbom.get("serialNumber").asText()).matches(SERIAL_NUMBER);
    assertThat(sbom.get("version").isInt()).isTrue();
    assertThat(sbom.get("version").asInt()).isPositive();
    assertThat(Instant.parse(sbom.at("/metadata/timestamp").asText()))
        .isBefore(Instant.now().plusSeconds(60));

    JsonNode subject = sbom.at("/metadata/component");
    assertThat(subject.get("group").asText()).isEqualTo("io.csfle");
    assertThat(subject.get("name").asText()).isEqualTo(PluginArchive.ROOT);
    assertThat(subject.get("version").asText()).isEqualTo(PluginVersion.get());
    assertThat(subject.get("description").asText()).isNotBlank().doesNotContain("${");

    List<String> refs = new ArrayList<>();
    for (JsonNode component : concat(subject, sbom.get("components"))) {
      assertThat(component.get("type").asText()).isEqualTo("library");
      assertThat(component.get("bom-ref").asText()).isEqualTo(component.get("purl").asText());
      refs.add(component.get("bom-ref").asText());
      Matcher purl = purl(component);
      assertThat(decode(purl.group(1))).isEqualTo(component.get("group").asText());
      assertThat(decode(purl.group(2))).isEqualTo(component.get("name").asText());
      assertThat(decode(purl.group(3))).isEqualTo(component.get("version").asText());
      assertThat(purl.group(4)).endsWith("type=jar");
    }
    assertThat(refs).doesNotHaveDuplicates();
  }

  @Test
  void sbom_besideTheArchiveIsTheOneInsideIt() throws IOException {
    assertThat(Files.readAllBytes(PluginArchive.sbomBesideZip())).isEqualTo(sbomInZip);
  }

  @Test
  void checksumFile_isTheSha256sumLineOfTheArchiveBytes() throws IOException {
    Path zip = PluginArchive.zip();
    String line = Files.readString(PluginArchive.checksumFile(), StandardCharsets.US_ASCII);
    Matcher sha256sum = SHA256SUM_LINE.matcher(line);

    assertThat(sha256sum.matches()).as("sha256sum format: %s", line).isTrue();
    assertThat(sha256sum.group(2)).isEqualTo(zip.getFileName().toString());
    try (InputStream in = Files.newInputStream(zip)) {
      assertThat(sha256sum.group(1)).isEqualTo(hashes(in).get("SHA-256"));
    }
  }

  /** {@code artifactId-version[-classifier].jar}, as the assembly names the jars in lib/. */
  private static String jarName(JsonNode component) {
    String classifier = "";
    for (String qualifier : purl(component).group(4).split("&")) {
      if (qualifier.startsWith("classifier=")) {
        classifier = "-" + decode(qualifier.substring("classifier=".length()));
      }
    }
    return component.get("name").asText()
        + "-"
        + component.get("version").asText()
        + classifier
        + ".jar";
  }

  private static Matcher purl(JsonNode component) {
    Matcher purl = MAVEN_PURL.matcher(component.path("purl").asText());
    assertThat(purl.matches()).as("Maven package URL: %s", component).isTrue();
    return purl;
  }

  private static String decode(String purlPart) {
    return URLDecoder.decode(purlPart.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static List<JsonNode> concat(JsonNode first, JsonNode rest) {
    List<JsonNode> all = new ArrayList<>(List.of(first));
    rest.forEach(all::add);
    return all;
  }

  private static Map<String, String> hashes(InputStream in) throws IOException {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
        sha512.update(buffer, 0, n);
      }
      HexFormat hex = HexFormat.of();
      return Map.of(
          "SHA-256", hex.formatHex(sha256.digest()), "SHA-512", hex.formatHex(sha512.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
