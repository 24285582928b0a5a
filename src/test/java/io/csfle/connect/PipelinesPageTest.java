package io.csfle.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Debezium-to-JDBC configs that docs/pipelines.md shows are the files DebeziumJdbcPipelineIT
 * runs, key for key, so the page cannot drift from what is tested.
 */
class PipelinesPageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JSON_BLOCK =
      Pattern.compile("```json\\n(\\{.*?\\})\\n```", Pattern.DOTALL);

  @Test
  void debeziumSection_showsTheTestedConfigFilesUnchanged() throws IOException {
    List<JsonNode> shown = new ArrayList<>();
    Matcher block = JSON_BLOCK.matcher(Files.readString(Path.of("docs/pipelines.md")));
    while (block.find()) {
      shown.add(JSON.readTree(block.group(1)));
    }
    for (String example :
        List.of(
            "source-debezium-postgres-encrypt-value-local-kms.json",
            "sink-debezium-jdbc-decrypt-value-local-kms.json")) {
      JsonNode file = JSON.readTree(Path.of("config-examples", example).toFile());
      assertThat(shown).as(example).contains(file);
    }
  }
}
