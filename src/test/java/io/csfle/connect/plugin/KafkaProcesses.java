package io.csfle.connect.plugin;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker ({@code kafka.Kafka}) and a Connect distributed worker ({@code
 * ConnectDistributed}) as two {@code java} processes whose classpath holds Kafka's jars only
 * ({@link KafkaRuntime}); plugins reach the worker only through {@code plugin.path}. Each process
 * logs to a file in the work directory and runs with {@code -Xmx512m}; {@link #close()} (or JVM
 * exit) kills both.
 */
final class KafkaProcesses implements AutoCloseable {
  private static final String HEAP = "-Xmx512m";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path workDir;
  private final List<Path> classpath;
  private final List<Process> processes = new ArrayList<>();
  private final Thread killOnExit = new Thread(this::destroyAll, "kill-kafka-processes");
  private String bootstrapServers;
  private URI connectUrl;

  private KafkaProcesses(Path workDir, List<Path> classpath) {
    this.workDir = workDir;
    this.classpath = classpath;
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Starts the broker, waits until it answers, then starts the worker with the given {@code
   * plugin.path} and waits until its REST API reports healthy; every wait ends by {@code deadline}.
   */
  static KafkaProcesses start(Path workDir, List<Path> classpath, Path pluginPath, Instant deadline)
      throws IOException, InterruptedException {
    KafkaProcesses kafka = new KafkaProcesses(workDir, classpath);
    try {
      kafka.startBroker(deadline);
      kafka.startWorker(pluginPath, deadline);
      return kafka;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      IllegalStateException failure =
          new IllegalStateException("Kafka did not start:\n" + kafka.logTails(), e);
      kafka.close();
      throw failure;
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  URI connectUrl() {
    return connectUrl;
  }

  Path brokerLog() {
    return workDir.resolve("broker.log");
  }

  Path workerLog() {
    return workDir.resolve("worker.log");
  }

  /** The last lines of both logs, for a failure message. */
  String logTails() {
    return tail(brokerLog(), 40) + "\n" + tail(workerLog(), 80);
  }

  private void startBroker(Instant deadline) throws IOException, InterruptedException {
    int brokerPort = freePort();
    int controllerPort = freePort();
    bootstrapServers = "localhost:" + brokerPort;
    Properties server = new Properties();
    server.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", "1"),
            Map.entry("controller.quorum.bootstrap.servers", "localhost:" + controllerPort),
            Map.entry(
                "listeners",
                "PLAINTEXT://localhost:"
                    + brokerPort
                    + ",CONTROLLER://localhost:"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
            Map.entry("log.dirs", workDir.resolve("kraft-data").toString()),
            Map.entry("num.partitions", "1"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0")));
    Path serverProperties = write("server.properties", server);

    Process format =
        java(
            "storage-format",
            "kafka.tools.StorageTool",
            "format",
            "--standalone",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            serverProperties.toString());
    if (!format.waitFor(remaining(deadline).toMillis(), TimeUnit.MILLISECONDS)
        || format.exitValue() != 0) {
      throw new IllegalStateException(
          "formatting the KRaft storage failed:\n" + tail(log("storage-format"), 40));
    }
    Process broker = java("broker", "kafka.Kafka", serverProperties.toString());
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
      waitUntil(deadline, broker, "the broker", () -> brokerAnswers(admin));
    }
  }

  private static boolean brokerAnswers(Admin admin) {
    try {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private void startWorker(Path pluginPath, Instant deadline)
      throws IOException, InterruptedException {
    int restPort = freePort();
    connectUrl = URI.create("http://localhost:" + restPort);
    Properties worker = new Properties();
    worker.putAll(
        Map.ofEntries(
            Map.entry("bootstrap.servers", bootstrapServers),
            Map.entry("group.id", "csfle-process-it"),
            Map.entry("listeners", connectUrl.toString()),
            Map.entry("plugin.path", pluginPath.toString()),
            // Every plugin here ships service manifests: skip the slow reflective scan.
            Map.entry("plugin.discovery", "service_load"),
            Map.entry("key.converter", "org.apache.kafka.connect.json.JsonConverter"),
            Map.entry("value.converter", "org.apache.kafka.connect.json.JsonConverter"),
            Map.entry("config.storage.topic", "_connect-configs"),
            Map.entry("offset.storage.topic", "_connect-offsets"),
            Map.entry("status.storage.topic", "_connect-status"),
            Map.entry("config.storage.replication.factor", "1"),
            Map.entry("offset.storage.replication.factor", "1"),
            Map.entry("status.storage.replication.factor", "1"),
            Map.entry("offset.flush.interval.ms", "1000")));
    Path workerProperties = write("connect-distributed.properties", worker);
    Process process =
        java(
            "worker",
            "org.apache.kafka.connect.cli.ConnectDistributed",
            workerProperties.toString());
    waitUntil(deadline, process, "the Connect worker", () -> status("/health") == 200);
  }

  /** GET on the worker's REST API. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(connectUrl.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The status of a GET, 0 while the worker does not accept connections. */
  private int status(String path) {
    try {
      return get(path).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** PUT of a JSON body on the worker's REST API. */
  HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(connectUrl.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Process java(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    command.add("-Dlog4j2.configurationFile=" + log4jConfig().toUri());
    command.add("-cp");
    command.add(
        classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log(name).toFile());
    builder.environment().remove("CLASSPATH");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private Path log(String name) {
    return workDir.resolve(name + ".log");
  }

  private Path log4jConfig() throws IOException {
    Path config = workDir.resolve("log4j2.properties");
    if (!Files.exists(config)) {
      Files.writeString(
          config,
          String.join(
              "\n",
              "status = warn",
              "appender.out.type = Console",
              "appender.out.name = OUT",
              "appender.out.layout.type = PatternLayout",
              "appender.out.layout.pattern = [%d] %p %m (%c)%n",
              "rootLogger.level = INFO",
              "rootLogger.appenderRef.out.ref = OUT",
              ""),
          UTF_8);
    }
    return config;
  }

  private Path write(String name, Properties properties) throws IOException {
    Path file = workDir.resolve(name);
    try (var out = Files.newBufferedWriter(file, UTF_8)) {
      properties.store(out, null);
    }
    return file;
  }

  /** Polls {@code ready} until it holds; fails early when {@code process} exits. */
  static void waitUntil(Instant deadline, Process process, String what, BooleanSupplier ready)
      throws InterruptedException {
    while (!ready.getAsBoolean()) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(what + " exited with " + process.exitValue());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(250);
    }
  }

  static Duration remaining(Instant deadline) {
    Duration left = Duration.between(Instant.now(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, UTF_8);
      return "--- "
          + file.getFileName()
          + " (last "
          + lines
          + " lines)\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "--- " + file.getFileName() + ": none";
    }
  }

  /** Stops the worker before the broker, gracefully first, then forcibly. */
  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running already.
    }
  }

  private void destroyAll() {
    List<Process> newestFirst = new ArrayList<>(processes);
    Collections.reverse(newestFirst);
    for (Process process : newestFirst) {
      process.destroy();
      try {
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
