package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.TOPIC;
import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.sourceRecord;
import static io.csfle.connect.transforms.TransformFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.RecordedRequest;
import io.csfle.connect.store.rest.TinkReference;
import io.csfle.connect.testing.LeakWatch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shared KEKs end to end: an operator registers a {@code shared=true} KEK through the REST API, the
 * registry generates and wraps every DEK with a KMS only it holds, and {@code EncryptField} /
 * {@code DecryptField} work with no KMS credentials at all, through the {@code keyMaterial} the
 * registry hands out. Each ciphertext is checked independently against the DEK the registry holds.
 */
class SharedKekTransformsTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  static final String KEK = "shared_kek";
  static final String SERVER_SECRET = "registry-only-secret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EMAIL = "alice@example.com";

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Transformation<?>> transforms = new ArrayList<>();
  InMemoryDekRegistryServer registry;

  @BeforeAll
  static void workerHasNoKmsSecret() {
    // local-kms falls back to this variable: with it unset, no KMS client can be built at all.
    assumeThat(System.getenv("LOCAL_SECRET")).isNull();
    leaks.secret(SERVER_SECRET).plaintext(EMAIL);
  }

  @AfterEach
  void stop() {
    transforms.forEach(Transformation::close);
    if (registry != null) {
      registry.close();
    }
  }

  static Stream<Arguments> everyAlgorithmRotationAndSide() {
    List<Arguments> cases = new ArrayList<>();
    for (DekAlgorithm algorithm : DekAlgorithm.values()) {
      for (int expiryDays : new int[] {0, 30}) {
        for (RecordSide side : RecordSide.values()) {
          cases.add(Arguments.of(algorithm, expiryDays, side));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, expiry {1} days, {2}")
  @MethodSource("everyAlgorithmRotationAndSide")
  void sharedKek_roundTripsWithoutKmsAndDecryptsWithTheRegistrysDek(
      DekAlgorithm algorithm, int expiryDays, RecordSide side) throws Exception {
    startRegistry(Mode.CONFLUENT);
    Map<String, String> config = noKmsConfig(side, algorithm, expiryDays);
    CollectingPluginMetrics encryptMetrics = new CollectingPluginMetrics();
    CollectingPluginMetrics decryptMetrics = new CollectingPluginMetrics();
    SourceRecord original = record();

    SourceRecord encrypted = encrypt(side, config, encryptMetrics).apply(original);
    SinkRecord decrypted = decrypt(side, config, decryptMetrics).apply(asSinkRecord(encrypted));

    assertThat(side == RecordSide.KEY ? decrypted.key() : decrypted.value())
        .isEqualTo(side == RecordSide.KEY ? original.key() : original.value());
    assertThat(encryptMetrics.value("kms-calls-total")).isEqualTo(0L);
    assertThat(decryptMetrics.value("kms-calls-total")).isEqualTo(0L);
    assertThat(dekCreates()).singleElement().satisfies(r -> assertNoKeyMaterialSent(r));
    byte[] ciphertext = Base64.getDecoder().decode(encryptedText(side, encrypted));
    String subject = TOPIC + "-" + side.name().toLowerCase(Locale.ROOT);
    assertThat(independentlyDecrypted(subject, algorithm, expiryDays > 0, 1, ciphertext))
        .isEqualTo(side == RecordSide.KEY ? "cust-1" : EMAIL);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(DekAlgorithm.class)
  void expiredSharedDek_theRegistryCreatesTheNextVersionAndNoKmsIsCalled(DekAlgorithm algorithm)
      throws Exception {
    startRegistry(Mode.CONFLUENT);
    long fortyDaysAgo = System.currentTimeMillis() - 40L * 86_400_000L;
    registry.clock(() -> fortyDaysAgo);
    String subject = TOPIC + "-value";
    HttpResponse<String> v1 =
        post(
            "/dek-registry/v1/keks/" + KEK + "/deks/" + subject,
            "{\"subject\":\"" + subject + "\",\"version\":1,\"algorithm\":\"" + algorithm + "\"}");
    assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
    registry.clock(System::currentTimeMillis);
    registry.clearRequests();
    Map<String, String> config = noKmsConfig(RecordSide.VALUE, algorithm, 30);
    CollectingPluginMetrics encryptMetrics = new CollectingPluginMetrics();
    CollectingPluginMetrics decryptMetrics = new CollectingPluginMetrics();

    SourceRecord encrypted = encrypt(RecordSide.VALUE, config, encryptMetrics).apply(record());
    SinkRecord decrypted =
        decrypt(RecordSide.VALUE, config, decryptMetrics).apply(asSinkRecord(encrypted));

    assertThat(decrypted.value()).isEqualTo(record().value());
    assertThat(dekCreates())
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("\"version\":2"))
        .satisfies(r -> assertNoKeyMaterialSent(r));
    byte[] ciphertext = Base64.getDecoder().decode(encryptedText(RecordSide.VALUE, encrypted));
    assertThat(independentlyDecrypted(subject, algorithm, true, 2, ciphertext)).isEqualTo(EMAIL);
    assertThat(encryptMetrics.value("kms-calls-total")).isEqualTo(0L);
    assertThat(decryptMetrics.value("kms-calls-total")).isEqualTo(0L);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(RecordSide.class)
  void axonOpsReaderWithoutKms_getsAClearNonRetriableError(RecordSide side) throws Exception {
    startRegistry(Mode.AXONOPS);
    Map<String, String> config = noKmsConfig(side, DekAlgorithm.AES256_GCM, 0);
    CollectingPluginMetrics metrics = new CollectingPluginMetrics();
    // AxonOps hands keyMaterial out on create only: the writer that created the DEK is fine ...
    SourceRecord encrypted = encrypt(side, config, metrics).apply(record());
    DecryptField<SinkRecord> reader = decrypt(side, config, new CollectingPluginMetrics());

    // ... but a reader only gets the wrapped DEK, and has no KMS to unwrap it.
    Throwable thrown = leaks.thrown(() -> reader.apply(asSinkRecord(encrypted)));

    assertThat(thrown)
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .isNotInstanceOf(DataException.class);
    assertThat(thrown.getMessage())
        .contains("KEK '" + KEK + "'")
        .contains("the KEK is shared, but the DEK store answered without the DEK's keyMaterial")
        .contains("give the worker access to this KMS key");
    assertThat(metrics.value("kms-calls-total")).isEqualTo(0L);
  }

  @Test
  void axonOpsWriterRestartWithoutKms_getsTheSameClearError() throws Exception {
    startRegistry(Mode.AXONOPS);
    Map<String, String> config = noKmsConfig(RecordSide.VALUE, DekAlgorithm.AES256_GCM, 0);
    encrypt(RecordSide.VALUE, config, new CollectingPluginMetrics()).apply(record());
    EncryptField<SourceRecord> restarted =
        encrypt(RecordSide.VALUE, config, new CollectingPluginMetrics());

    Throwable thrown = leaks.thrown(() -> restarted.apply(record()));

    assertThat(thrown)
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class);
    assertThat(thrown.getMessage())
        .contains("the KEK is shared, but the DEK store answered without the DEK's keyMaterial");
  }

  @Test
  void axonOpsReaderWithTheKmsKey_unwrapsTheRegistrysDekOnce() throws Exception {
    startRegistry(Mode.AXONOPS);
    Map<String, String> config = noKmsConfig(RecordSide.VALUE, DekAlgorithm.AES256_GCM, 0);
    SourceRecord encrypted =
        encrypt(RecordSide.VALUE, config, new CollectingPluginMetrics()).apply(record());
    // Confluent's client does the same: no keyMaterial on the DEK, so unwrap it with the KMS.
    Map<String, String> withKms = new HashMap<>(config);
    withKms.put("kms.secret", SERVER_SECRET);
    CollectingPluginMetrics metrics = new CollectingPluginMetrics();
    DecryptField<SinkRecord> reader = decrypt(RecordSide.VALUE, withKms, metrics);

    assertThat(reader.apply(asSinkRecord(encrypted)).value()).isEqualTo(record().value());
    assertThat(reader.apply(asSinkRecord(encrypted)).value()).isEqualTo(record().value());
    assertThat(metrics.value("kms-calls-total")).isEqualTo(1L);
  }

  // ---- helpers ----

  void startRegistry(Mode mode) throws IOException, InterruptedException {
    registry = InMemoryDekRegistryServer.start(mode);
    registry.wrapSharedDeksWithLocalKms(SERVER_SECRET);
    // As an operator would: the KEK exists, shared, before any connector runs.
    HttpResponse<String> created =
        post(
            "/dek-registry/v1/keks",
            "{\"name\":\""
                + KEK
                + "\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"registry-key\",\"shared\":true}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    registry.clearRequests();
  }

  /** The transforms' config: the KEK's name, and no KMS type, key id or credential. */
  Map<String, String> noKmsConfig(RecordSide side, DekAlgorithm algorithm, int expiryDays) {
    Map<String, String> config = new HashMap<>();
    config.put("fields", side == RecordSide.KEY ? "customerId" : "email,card,customer.email");
    config.put("schema.registry.url", registry.url());
    config.put("encrypt.kek.name", KEK);
    config.put("encrypt.dek.algorithm", algorithm.name());
    config.put("encrypt.dek.expiry.days", Integer.toString(expiryDays));
    config.put("retries.wait.ms", "1");
    config.put("retries.max.wait.ms", "5");
    config.put("max.retries", "1");
    return config;
  }

  static SourceRecord record() {
    return sourceRecord(TransformFixtures.VALUE, value(1, EMAIL, "123-45-6789"));
  }

  EncryptField<SourceRecord> encrypt(
      RecordSide side, Map<String, String> config, CollectingPluginMetrics metrics) {
    EncryptField<SourceRecord> transform =
        side == RecordSide.KEY
            ? TransformFixtures.encryptKey(config)
            : TransformFixtures.encryptValue(config);
    transform.withPluginMetrics(metrics);
    transforms.add(transform);
    return transform;
  }

  DecryptField<SinkRecord> decrypt(
      RecordSide side, Map<String, String> config, CollectingPluginMetrics metrics) {
    DecryptField<SinkRecord> transform =
        side == RecordSide.KEY
            ? TransformFixtures.decryptKey(config)
            : TransformFixtures.decryptValue(config);
    transform.withPluginMetrics(metrics);
    transforms.add(transform);
    return transform;
  }

  static String encryptedText(RecordSide side, SourceRecord encrypted) {
    return side == RecordSide.KEY
        ? ((Struct) encrypted.key()).getString("customerId")
        : ((Struct) encrypted.value()).getString("email");
  }

  /** The create-DEK requests the registry received. */
  List<RecordedRequest> dekCreates() {
    return registry.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().contains("/deks"))
        .toList();
  }

  /** A writer of a shared KEK leaves the DEK to the registry: it posts no key material. */
  static void assertNoKeyMaterialSent(RecordedRequest create) {
    assertThat(create.body()).doesNotContain("encryptedKeyMaterial").doesNotContain("keyMaterial");
  }

  /**
   * Decrypts {@code ciphertext} with Tink and the DEK the registry holds: its {@code
   * encryptedKeyMaterial} unwrapped with the registry's secret, no project code involved.
   */
  String independentlyDecrypted(
      String subject, DekAlgorithm algorithm, boolean rotating, int version, byte[] ciphertext)
      throws IOException, InterruptedException, GeneralSecurityException {
    byte[] body = ciphertext;
    if (rotating) {
      assertThat(ciphertext[0]).isZero();
      assertThat(ByteBuffer.wrap(ciphertext, 1, 4).getInt()).isEqualTo(version);
      body = Arrays.copyOfRange(ciphertext, 5, ciphertext.length);
    }
    JsonNode dek =
        JSON.readTree(
            get("/dek-registry/v1/keks/"
                    + KEK
                    + "/deks/"
                    + subject
                    + "/versions/"
                    + version
                    + "?algorithm="
                    + algorithm)
                .body());
    byte[] wrapped = Base64.getDecoder().decode(dek.get("encryptedKeyMaterial").asText());
    byte[] keyProto = TinkReference.unwrapLocalKms(SERVER_SECRET, wrapped);
    leaks.keyBytes(keyProto);
    return new String(TinkReference.decrypt(algorithm, keyProto, body), StandardCharsets.UTF_8);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(registry.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(registry.url() + path))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
