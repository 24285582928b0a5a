package io.csfle.connect.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Where {@code mvn package} leaves the plugin (directory and zip) and the demo connectors. */
final class PluginArchive {
  static final String ROOT = "kafka-connect-csfle";
  private static final Path TARGET = Path.of("target");

  private PluginArchive() {}

  /** The unzipped form: {@code target/<artifact>-<version>-plugin/kafka-connect-csfle}. */
  static Path directory() throws IOException {
    return find(p -> p.endsWith("-plugin") && Files.isDirectory(TARGET.resolve(p))).resolve(ROOT);
  }

  static Path zip() throws IOException {
    return find(p -> p.endsWith("-plugin.zip"));
  }

  /** The SBOM the build leaves beside the zip: {@code <zip name without .zip>.cdx.json}. */
  static Path sbomBesideZip() throws IOException {
    Path zip = zip();
    String name = zip.getFileName().toString();
    return zip.resolveSibling(name.substring(0, name.length() - ".zip".length()) + ".cdx.json");
  }

  /** The zip's checksum in {@code sha256sum} format: {@code <zip name>.sha256}. */
  static Path checksumFile() throws IOException {
    Path zip = zip();
    return zip.resolveSibling(zip.getFileName() + ".sha256");
  }

  /** The test connectors ({@code io.csfle.connect.testing}) as a jar of their own. */
  static Path demoConnectorsJar() throws IOException {
    return find(p -> p.endsWith("-demo-connectors.jar"));
  }

  private static Path find(Predicate<String> name) throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files
          .filter(p -> name.test(p.getFileName().toString()))
          .findFirst()
          .orElseThrow(() -> new AssertionError("not built under target/: run mvn package"));
    }
  }

  /** Unzips into {@code destination}, refusing entries that would land outside it. */
  static void unzip(Path zip, Path destination) throws IOException {
    Path root = destination.toAbsolutePath().normalize();
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream entries = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
        Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("zip entry outside the destination: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
