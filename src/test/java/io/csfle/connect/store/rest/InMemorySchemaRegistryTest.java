package io.csfle.connect.store.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Schema Registry reads Confluent's serdes make, served beside the DEK Registry. */
class InMemorySchemaRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA = "{\"type\":\"string\"}";

  private final HttpClient http = HttpClient.newHttpClient();
  private final InMemoryDekRegistryServer server = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  private final InMemorySchemaRegistry schemas = new InMemorySchemaRegistry();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void latestVersionAndSchemaById_answerInConfluentsShape() throws Exception {
    server.serveSchemas(schemas);
    JsonNode ruleSet = JSON.readTree("{\"domainRules\":[{\"name\":\"r\",\"type\":\"ENCRYPT\"}]}");
    schemas.register("t-value", SCHEMA, null);
    int id = schemas.register("t-value", SCHEMA, ruleSet);

    JsonNode latest = get("/subjects/t-value/versions/latest", 200);
    assertThat(latest.get("id").asInt()).isEqualTo(id);
    assertThat(latest.get("version").asInt()).isEqualTo(2);
    assertThat(latest.get("subject").asText()).isEqualTo("t-value");
    assertThat(latest.get("ruleSet")).isEqualTo(ruleSet);
    JsonNode byId = get("/schemas/ids/" + id + "?subject=t-value", 200);
    assertThat(byId.get("schema").asText()).isEqualTo(SCHEMA);
    assertThat(byId.get("ruleSet")).isEqualTo(ruleSet);
    assertThat(byId.has("schemaType")).as("Avro answers without schemaType").isFalse();
    assertThat(get("/subjects/t-value/versions/1", 200).has("ruleSet")).isFalse();
  }

  @Test
  void unknownSubjectIdOrVersion_answers404WithConfluentsErrorBody() throws Exception {
    server.serveSchemas(schemas);
    schemas.register("t-value", SCHEMA, null);

    assertThat(get("/subjects/other/versions/latest", 404).get("error_code").asInt())
        .isEqualTo(40401);
    assertThat(get("/schemas/ids/9", 404).get("error_code").asInt()).isEqualTo(40403);
    assertThat(get("/subjects/t-value/versions/2", 404).get("error_code").asInt()).isEqualTo(40402);
  }

  @Test
  void withoutSchemas_schemaPathsStay404() throws Exception {
    schemas.register("t-value", SCHEMA, null);

    get("/subjects/t-value/versions/latest", 404);
  }

  private JsonNode get(String path, int expectedStatus) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(expectedStatus);
    return JSON.readTree(response.body());
  }
}
