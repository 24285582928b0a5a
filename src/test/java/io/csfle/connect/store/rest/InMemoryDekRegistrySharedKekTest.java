package io.csfle.connect.store.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The test registry's server-side mode for shared KEKs, over raw HTTP: it generates Confluent's key
 * proto, wraps it with its own local KMS (checked here with Tink directly, not the project's KMS
 * code) and hands {@code keyMaterial} out when Confluent or AxonOps would.
 */
class InMemoryDekRegistrySharedKekTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEKS = "/dek-registry/v1/keks";
  private static final String SERVER_SECRET = "server-side-secret";

  private final HttpClient http = HttpClient.newHttpClient();
  private InMemoryDekRegistryServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @EnumSource(DekAlgorithm.class)
  void confluent_generatesWrapsWithItsKmsAndReturnsKeyMaterialOnEveryRead(DekAlgorithm algorithm)
      throws Exception {
    start(Mode.CONFLUENT, true);

    JsonNode created = body(post(KEKS + "/sh/deks/s", createBody(algorithm)));

    byte[] keyMaterial = bytes(created, "keyMaterial");
    assertThat(TinkReference.rawKey(algorithm, keyMaterial)).hasSize(algorithm.keySize());
    assertThat(created.get("algorithm").asText()).isEqualTo(algorithm.name());
    assertThat(TinkReference.unwrapLocalKms(SERVER_SECRET, bytes(created, "encryptedKeyMaterial")))
        .isEqualTo(keyMaterial);
    String query = "?algorithm=" + algorithm;
    for (String path : new String[] {"/versions/1", "/versions/latest", ""}) {
      JsonNode read = body(get(KEKS + "/sh/deks/s" + path + query));
      assertThat(bytes(read, "keyMaterial")).as(path).isEqualTo(keyMaterial);
      assertThat(bytes(read, "encryptedKeyMaterial"))
          .isEqualTo(bytes(created, "encryptedKeyMaterial"));
    }
  }

  @Test
  void axonOps_returnsKeyMaterialOnCreateOnlyButKeepsTheWrappedDek() throws Exception {
    start(Mode.AXONOPS, true);

    JsonNode created = body(post(KEKS + "/sh/deks/s", createBody(DekAlgorithm.AES256_GCM)));
    JsonNode read = body(get(KEKS + "/sh/deks/s/versions/1"));

    assertThat(read.has("keyMaterial")).isFalse();
    assertThat(TinkReference.unwrapLocalKms(SERVER_SECRET, bytes(read, "encryptedKeyMaterial")))
        .isEqualTo(bytes(created, "keyMaterial"));
  }

  @Test
  void confluent_dekPostedWrappedUnderASharedKek_isUnwrappedByTheServerOnRead() throws Exception {
    start(Mode.CONFLUENT, true);
    byte[] keyMaterial = KeyMaterial.generate(DekAlgorithm.AES256_GCM);
    byte[] wrapped =
        new LocalKekProvider(name -> null)
            .create("k", Map.of("secret", SERVER_SECRET))
            .wrap(keyMaterial);
    String posted =
        "{\"subject\":\"s\",\"version\":1,\"encryptedKeyMaterial\":\""
            + Base64.getEncoder().encodeToString(wrapped)
            + "\"}";

    JsonNode created = body(post(KEKS + "/sh/deks/s", posted));

    assertThat(bytes(created, "encryptedKeyMaterial")).isEqualTo(wrapped);
    assertThat(bytes(created, "keyMaterial")).isEqualTo(keyMaterial);
    assertThat(bytes(body(get(KEKS + "/sh/deks/s/versions/1")), "keyMaterial"))
        .isEqualTo(keyMaterial);
  }

  @Test
  void nonSharedKek_neverGetsKeyMaterialNorAServerGeneratedDek() throws Exception {
    start(Mode.CONFLUENT, false);

    assertThat(post(KEKS + "/sh/deks/s", createBody(DekAlgorithm.AES256_GCM)).statusCode())
        .isEqualTo(422);
    post(
        KEKS + "/sh/deks/s", "{\"subject\":\"s\",\"version\":1,\"encryptedKeyMaterial\":\"AQ==\"}");
    assertThat(body(get(KEKS + "/sh/deks/s/versions/1")).has("keyMaterial")).isFalse();
  }

  private void start(Mode mode, boolean shared) throws Exception {
    server = InMemoryDekRegistryServer.start(mode);
    server.wrapSharedDeksWithLocalKms(SERVER_SECRET);
    HttpResponse<String> kek =
        post(
            KEKS,
            "{\"name\":\"sh\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"server-key\",\"shared\":"
                + shared
                + "}");
    assertThat(kek.statusCode()).isEqualTo(200);
  }

  private static String createBody(DekAlgorithm algorithm) {
    return "{\"subject\":\"s\",\"version\":1,\"algorithm\":\"" + algorithm + "\"}";
  }

  private static byte[] bytes(JsonNode node, String field) {
    assertThat(node.has(field)).as(field + " in " + node).isTrue();
    return Base64.getDecoder().decode(node.get(field).asText());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode body(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
