package io.csfle.connect.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Confluent's JavaScript Schema Registry client ({@code @confluentinc/schemaregistry}, the version
 * pinned in {@code src/test/js/confluent-interop/package-lock.json}) installed under {@code
 * target/} with {@code npm ci}, and one {@code node interop.js} process per job (see that script
 * for the job format).
 */
final class ConfluentJsClient {
  static final Path SOURCE = Path.of("src", "test", "js", "confluent-interop");
  private static final List<String> PROJECT_FILES =
      List.of("package.json", "package-lock.json", "interop.js");
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Path node;

  private ConfluentJsClient(Path dir, Path node) {
    this.dir = dir;
    this.node = node;
  }

  /** The executable on {@code PATH}, if any. */
  static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Copies the project's Node files into {@code dir} and runs {@code npm ci} there, unless the same
   * lockfile was installed there already (the stamp holds its digest).
   */
  static ConfluentJsClient install(Path dir, Path node, Path npm)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    for (String file : PROJECT_FILES) {
      Files.copy(SOURCE.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Path stamp = dir.resolve("node_modules").resolve(".csfle-installed");
    String digest = sha256(Files.readAllBytes(dir.resolve("package-lock.json")));
    if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(digest)) {
      // --ignore-scripts: nothing in the tree needs an install script to run the serdes.
      Process npmCi =
          new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund", "--ignore-scripts")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("npm-ci.log").toFile())
              .start();
      if (!npmCi.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        npmCi.destroyForcibly();
        throw new IOException("npm ci did not finish in " + INSTALL_TIMEOUT + "; see npm-ci.log");
      }
      if (npmCi.exitValue() != 0) {
        throw new IOException(
            "npm ci failed ("
                + npmCi.exitValue()
                + "): "
                + Files.readString(dir.resolve("npm-ci.log")));
      }
      Files.writeString(stamp, digest);
    }
    return new ConfluentJsClient(dir, node);
  }

  /** Runs one job; returns the {@code results} array (one entry per op). */
  JsonNode run(JsonNode job) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "job-", ".out");
    Path err = Files.createTempFile(dir, "job-", ".err");
    try {
      Process process =
          new ProcessBuilder(node.toString(), "interop.js")
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(JSON.writeValueAsBytes(job));
      }
      if (!process.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            "node did not finish in " + JOB_TIMEOUT + ": " + Files.readString(err));
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0 || stdout.isBlank()) {
        throw new IOException(
            "node exited " + process.exitValue() + ": " + stdout + Files.readString(err));
      }
      JsonNode answer = JSON.readTree(stdout);
      if (!answer.has("results")) {
        throw new IOException("node answered without results: " + stdout);
      }
      return answer.get("results");
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
