package io.csfle.connect.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Maven on a small project the tests own (a runtime to resolve, a server to build), with the
 * Maven and the local repository of the build that runs the tests (failsafe passes {@code
 * maven.home} and {@code maven.repo.local}): offline first, since everything is usually cached,
 * then online. Output goes to a log file, which a failure quotes.
 */
public final class MavenRun {
  private MavenRun() {}

  /**
   * Runs {@code mvn -B -f pom args...}.
   *
   * @param what what the run does, for messages ("resolve the Kafka runtime")
   * @throws IllegalStateException when neither run succeeds, or a run passes {@code timeout}
   */
  public static void run(Path pom, List<String> args, Path log, Duration timeout, String what)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    String mavenHome = System.getProperty("maven.home");
    command.add(mavenHome == null ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString());
    command.addAll(List.of("-B", "-f", pom.toString()));
    command.addAll(args);
    String repo = System.getProperty("maven.repo.local");
    if (repo != null) {
      command.add("-Dmaven.repo.local=" + repo);
    }
    List<String> offline = new ArrayList<>(command);
    offline.add("-o");
    if (attempt(offline, log, timeout, what) != 0 && attempt(command, log, timeout, what) != 0) {
      throw new IllegalStateException("Maven could not " + what + ":\n" + tail(log));
    }
  }

  private static int attempt(List<String> command, Path log, Duration timeout, String what)
      throws IOException, InterruptedException {
    Process maven =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!maven.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      maven.destroyForcibly();
      throw new IllegalStateException("Maven did not " + what + " within " + timeout + ": " + log);
    }
    return maven.exitValue();
  }

  /** The last lines of {@code log}, where Maven says what failed. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
