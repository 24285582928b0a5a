package io.csfle.connect.transforms;

import io.csfle.connect.testkit.MavenRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apicurio Registry server (in-memory H2 storage) as a separate process on a free loopback
 * port, never inside the test JVM: its Quarkus, Jackson and Kafka versions differ from the test
 * classpath's. The runnable server is built by Maven from {@code
 * src/test/apicurio-registry/pom.xml} into {@code target/apicurio-registry} when that output is
 * missing or older than its sources.
 */
final class ApicurioRegistryProcess implements AutoCloseable {
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(6);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private ApicurioRegistryProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Builds the server if needed, starts it and waits until it reports ready. */
  static ApicurioRegistryProcess start(Path projectDir) throws IOException, InterruptedException {
    Path buildDir = projectDir.resolve("target/apicurio-registry");
    Path runner = build(projectDir.resolve("src/test/apicurio-registry"), buildDir);
    int port = freePort();
    Path log = buildDir.resolve("server-" + port + ".log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            // Start-up speed over peak speed: the test sends a few dozen requests.
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            "-Dquarkus.datasource.jdbc.initial-size=1",
            "-Dquarkus.datasource.jdbc.min-size=1",
            "-jar",
            runner.toString());
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // Should the test JVM be stopped without @AfterAll, the server must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    ApicurioRegistryProcess server = new ApicurioRegistryProcess(process, port, log);
    try {
      server.awaitReady();
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The base URL of the registry's v2 REST API, as Apicurio's serdes take it. */
  String apiUrl() {
    return "http://127.0.0.1:" + port + "/apis/registry/v2";
  }

  /** GET of a path below {@link #apiUrl()}; fails on any status but 200. */
  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
    }
    return response.body();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    URI health = URI.create("http://127.0.0.1:" + port + "/health/ready");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Apicurio Registry exited with " + process.exitValue() + ":\n" + MavenRun.tail(log));
      }
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "Apicurio Registry not ready within " + START_TIMEOUT + ":\n" + MavenRun.tail(log));
  }

  /**
   * Runs {@code mvn package} on the server's pom with the local repository of the build that runs
   * the tests, offline first (everything is usually cached), then online; skipped when the runner
   * jar is newer than every file of that project.
   */
  private static Path build(Path serverProject, Path buildDir)
      throws IOException, InterruptedException {
    Path runner = buildDir.resolve("apicurio-registry-server-runner.jar");
    if (Files.exists(runner) && newestSource(serverProject) < lastModified(runner)) {
      return runner;
    }
    Files.createDirectories(buildDir);
    Path log = buildDir.resolve("build.log");
    MavenRun.run(
        serverProject.resolve("pom.xml"),
        List.of("-ntp", "package", "-Dregistry.build.dir=" + buildDir),
        log,
        BUILD_TIMEOUT,
        "build Apicurio Registry");
    if (!Files.exists(runner)) {
      throw new IllegalStateException("The build made no " + runner + ":\n" + MavenRun.tail(log));
    }
    return runner;
  }

  private static long newestSource(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(ApicurioRegistryProcess::lastModified)
          .max()
          .orElse(Long.MAX_VALUE);
    }
  }

  private static long lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
