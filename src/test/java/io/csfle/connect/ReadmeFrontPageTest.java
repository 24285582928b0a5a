package io.csfle.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's promise: a front page short enough to read, one command that builds and runs every
 * test (the one CI runs), and one that runs the product.
 */
class ReadmeFrontPageTest {
  private static final String TEST_COMMAND = "mvn -B -ntp verify";
  private static final String RUN_COMMAND = "scripts/quickstart";

  @Test
  void readme_isAFrontPageOfAtMost200Lines() throws IOException {
    assertThat(Files.readAllLines(Path.of("README.md"))).hasSizeLessThanOrEqualTo(200);
  }

  @Test
  void readme_showsTheTestCommandAndTheRunCommand() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).contains("```bash\n" + TEST_COMMAND + "\n```");
    assertThat(readme).contains("```bash\n" + RUN_COMMAND + "\n```");
    assertThat(Path.of(RUN_COMMAND)).isExecutable();
  }

  @Test
  void ci_runsExactlyTheReadmesTestCommand() throws IOException {
    List<String> commands =
        Files.readAllLines(Path.of(".ci/run")).stream()
            .filter(line -> line.startsWith("mvn"))
            .toList();
    assertThat(commands).containsExactly(TEST_COMMAND);
  }
}
