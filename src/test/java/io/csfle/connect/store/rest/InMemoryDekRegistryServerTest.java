package io.csfle.connect.store.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake itself, over raw HTTP: each server difference of CONFLUENT_COMPAT.md section 6 that the
 * client must survive, so the contract tests prove something.
 */
class InMemoryDekRegistryServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEKS = "/dek-registry/v1/keks";
  private static final String DEKS = KEKS + "/k/deks";

  private final HttpClient http = HttpClient.newHttpClient();
  private InMemoryDekRegistryServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void postWithoutVersion_confluentCreatesV1ThenConflicts() throws Exception {
    start(Mode.CONFLUENT);

    assertThat(post(DEKS + "/s", dekWithoutVersion()).statusCode()).isEqualTo(200);
    assertThat(post(DEKS + "/s", dekWithoutVersion()).statusCode()).isEqualTo(409);
  }

  @Test
  void postWithoutVersion_axonOpsCreatesMaxPlusOneSoBothWritersWin() throws Exception {
    start(Mode.AXONOPS);

    assertThat(body(post(DEKS + "/s", dekWithoutVersion())).get("version").asInt()).isEqualTo(1);
    assertThat(body(post(DEKS + "/s", dekWithoutVersion())).get("version").asInt()).isEqualTo(2);
  }

  @Test
  void getUnversioned_confluentReturnsVersion1() throws Exception {
    start(Mode.CONFLUENT);
    post(DEKS + "/s", dek(1));
    post(DEKS + "/s", dek(2));

    assertThat(body(get(DEKS + "/s")).get("version").asInt()).isEqualTo(1);
  }

  @Test
  void getUnversioned_axonOpsReturnsLatest() throws Exception {
    start(Mode.AXONOPS);
    post(DEKS + "/s", dek(1));
    post(DEKS + "/s", dek(2));

    assertThat(body(get(DEKS + "/s")).get("version").asInt()).isEqualTo(2);
  }

  @Test
  void versionsLatest_confluentAnswers() throws Exception {
    start(Mode.CONFLUENT);
    post(DEKS + "/s", dek(1));

    assertThat(get(DEKS + "/s/versions/latest").statusCode()).isEqualTo(200);
    assertThat(get(DEKS + "/s/versions/-1").statusCode()).isEqualTo(200);
  }

  @Test
  void kekNames_confluentAllowsHyphenAfterFirstCharOnly() throws Exception {
    start(Mode.CONFLUENT);

    assertThat(post(KEKS, kek("pii-kek_2")).statusCode()).isEqualTo(200);
    assertThat(post(KEKS, kek("-kek")).statusCode()).isEqualTo(422);
    assertThat(post(KEKS, kek("9kek")).statusCode()).isEqualTo(422);
    assertThat(post(KEKS, kek("pii.kek")).statusCode()).isEqualTo(422);
    assertThat(post(KEKS, kek("k".repeat(65))).statusCode()).isEqualTo(422);
  }

  @Test
  void versionsLatest_axonOpsAnswers422() throws Exception {
    start(Mode.AXONOPS);
    post(DEKS + "/s", dek(1));

    assertThat(get(DEKS + "/s/versions/latest").statusCode()).isEqualTo(422);
    assertThat(get(DEKS + "/s/versions/-1").statusCode()).isEqualTo(422);
  }

  @Test
  void errors_carryStatusErrorCodeAndMessage() throws Exception {
    start(Mode.CONFLUENT);

    HttpResponse<String> missing = get(KEKS + "/nope");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(body(missing).get("error_code").asInt()).isEqualTo(40470);
    assertThat(body(missing).get("message").asText()).contains("nope");
    assertThat(missing.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.schemaregistry.v1+json");
  }

  @Test
  void voidCalls_confluentAnswers204WithoutBody() throws Exception {
    start(Mode.CONFLUENT);

    assertThat(send("DELETE", KEKS + "/k", null).statusCode()).isEqualTo(204);
  }

  @Test
  void voidCalls_axonOpsAnswers200WithName() throws Exception {
    start(Mode.AXONOPS);

    HttpResponse<String> deleted = send("DELETE", KEKS + "/k", null);

    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(body(deleted).get("name").asText()).isEqualTo("k");
  }

  @Test
  void sharedKek_axonOpsReturnsKeyMaterialOnCreateOnly() throws Exception {
    start(Mode.AXONOPS);
    post(KEKS, "{\"name\":\"sh\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"x\",\"shared\":true}");

    JsonNode created = body(post(KEKS + "/sh/deks/s", "{\"subject\":\"s\",\"version\":1}"));
    JsonNode read = body(get(KEKS + "/sh/deks/s/versions/1"));

    assertThat(created.get("keyMaterial").asText()).isNotEmpty();
    assertThat(read.has("keyMaterial")).isFalse();
    assertThat(read.has("encryptedKeyMaterial")).isFalse(); // no wrapper installed: no KMS
  }

  @Test
  void sharedDekWrapper_suppliesEncryptedKeyMaterial() throws Exception {
    start(Mode.CONFLUENT);
    server.sharedDekWrapper(key -> new byte[] {42});
    post(KEKS, "{\"name\":\"sh\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"x\",\"shared\":true}");

    JsonNode created = body(post(KEKS + "/sh/deks/s", "{\"subject\":\"s\",\"version\":1}"));

    assertThat(created.get("encryptedKeyMaterial").asText()).isEqualTo("Kg==");
    assertThat(body(get(KEKS + "/sh/deks/s/versions/1")).has("keyMaterial")).isTrue();
  }

  @Test
  void encodedSlash_staysInsideOneSegment() throws Exception {
    start(Mode.CONFLUENT);

    post(DEKS + "/a%2Fb%20c", dek(1));

    assertThat(body(get(DEKS + "/a%2Fb%20c/versions/1")).get("subject").asText())
        .isEqualTo("a/b c");
    assertThat(get(DEKS + "/a/b%20c/versions/1").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPathAndWrongMethod_404And405() throws Exception {
    start(Mode.CONFLUENT);

    assertThat(get("/subjects").statusCode()).isEqualTo(404);
    assertThat(send("PATCH", KEKS, "{}").statusCode()).isEqualTo(405);
  }

  @Test
  void failNext_answersThatManyRequestsThenRecovers() throws Exception {
    start(Mode.CONFLUENT);
    server.failNext(2, 429);

    assertThat(get(KEKS).statusCode()).isEqualTo(429);
    assertThat(get(KEKS).statusCode()).isEqualTo(429);
    assertThat(get(KEKS).statusCode()).isEqualTo(200);
    assertThat(server.requestCount("GET", KEKS)).isEqualTo(3);
  }

  @Test
  void pauseDekCreates_holdsCreatesUntilReleased() throws Exception {
    start(Mode.CONFLUENT);
    DekCreatePause pause = server.pauseDekCreates();

    CompletableFuture<HttpResponse<String>> held =
        http.sendAsync(postRequest(DEKS + "/s", dek(1)), HttpResponse.BodyHandlers.ofString());
    assertThat(pause.awaitArrivals(1, Duration.ofSeconds(5))).isTrue();
    assertThat(get(DEKS + "/s/versions/1").statusCode()).isEqualTo(404);
    assertThat(held).isNotDone();

    pause.release();
    assertThat(held.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  private static String kek(String name) {
    return "{\"name\":\"" + name + "\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"x\"}";
  }

  private void start(Mode mode) throws Exception {
    server = InMemoryDekRegistryServer.start(mode);
    post(KEKS, "{\"name\":\"k\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"x\"}");
    server.clearRequests();
  }

  private static String dek(int version) {
    return "{\"subject\":\"s\",\"version\":" + version + ",\"encryptedKeyMaterial\":\"AQID\"}";
  }

  private static String dekWithoutVersion() {
    return "{\"subject\":\"s\",\"encryptedKeyMaterial\":\"AQID\"}";
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(postRequest(path, body), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest postRequest(String path, String body) {
    return HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode body(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }
}
