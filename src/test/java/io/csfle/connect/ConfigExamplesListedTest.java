package io.csfle.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The table of config examples in docs/configuration.md and the files in config-examples/ agree.
 */
class ConfigExamplesListedTest {
  private static final Pattern ROW =
      Pattern.compile("^\\| `([^`]+\\.json)` \\|", Pattern.MULTILINE);

  @Test
  void docsTable_listsEveryExampleFileAndNoOther() throws IOException {
    List<String> files;
    try (Stream<Path> paths = Files.list(Path.of("config-examples"))) {
      files =
          paths
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".json"))
              .sorted()
              .toList();
    }
    Matcher rows = ROW.matcher(Files.readString(Path.of("docs/configuration.md")));
    List<String> listed = rows.results().map(m -> m.group(1)).sorted().toList();

    assertThat(files).isNotEmpty();
    assertThat(listed).containsExactlyElementsOf(files);
  }
}
