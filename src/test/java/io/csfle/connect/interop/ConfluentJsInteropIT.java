package io.csfle.connect.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.interop.ConfluentAvroWire.Message;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemorySchemaRegistry;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Confluent's own CSFLE code against ours: {@code @confluentinc/schemaregistry}'s Avro serializer
 * and deserializer with its {@code FieldEncryptionExecutor} and local KMS driver (run by Node, see
 * {@link ConfluentJsClient}) and our {@link EncryptField}/{@link DecryptField} share one in-memory
 * DEK Registry (Confluent mode) that also serves the schemas with their ENCRYPT rule. For every
 * algorithm, with and without DEK rotation, and with either side writing first (so creating the KEK
 * and DEK the other side then uses), each side decrypts what the other wrote: a value record's
 * STRING and BYTES fields and a record key's STRING field. With rotation, the DEK the first writer
 * created is already expired when the second writes, so the second creates version 2 and each
 * reader must follow the version prefix to a version the other side created.
 */
class ConfluentJsInteropIT {
  private static final String SECRET = "interop-local-kms-secret";
  private static final String KMS_KEY_ID = "interop-key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  private static final String VALUE_AVRO =
      "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"io.csfle.interop\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"email\",\"type\":\"string\",\"confluent:tags\":[\"PII\"]},"
          + "{\"name\":\"note\",\"type\":\"string\",\"confluent:tags\":[\"PII\"]},"
          + "{\"name\":\"card\",\"type\":\"bytes\",\"confluent:tags\":[\"PII\"]}]}";
  private static final String KEY_AVRO =
      "{\"type\":\"record\",\"name\":\"CustomerKey\",\"namespace\":\"io.csfle.interop\",\"fields\":["
          + "{\"name\":\"customerId\",\"type\":\"string\",\"confluent:tags\":[\"PII\"]}]}";
  private static final Schema VALUE =
      SchemaBuilder.struct()
          .name("io.csfle.interop.Customer")
          .field("id", Schema.STRING_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("note", Schema.STRING_SCHEMA)
          .field("card", Schema.BYTES_SCHEMA)
          .build();
  private static final Schema KEY =
      SchemaBuilder.struct()
          .name("io.csfle.interop.CustomerKey")
          .field("customerId", Schema.STRING_SCHEMA)
          .build();

  /** The same key on both sides: with AES256_SIV and one DEK both must write identical bytes. */
  private static final String CUSTOMER_ID = "cust-0042";

  private static ConfluentJsClient js;
  private static InMemoryDekRegistryServer registry;
  private static InMemorySchemaRegistry schemas;

  enum FirstWriter {
    CONFLUENT_JS,
    ENCRYPT_FIELD
  }

  record Case(DekAlgorithm algorithm, boolean rotation, FirstWriter first) {
    String topic() {
      return ("interop-" + algorithm + (rotation ? "-rotating-" : "-") + first)
          .toLowerCase(Locale.ROOT)
          .replace('_', '-');
    }

    String kek() {
      return topic() + "-kek";
    }

    @Override
    public String toString() {
      return algorithm + (rotation ? ", rotation" : ", no rotation") + ", first writer " + first;
    }
  }

  /**
   * One side's plaintext value record (the key is {@link #CUSTOMER_ID}); {@code note} is empty on
   * both sides: Confluent encrypts empty strings too.
   */
  record Plain(String id, String email, byte[] card) {
    static final String NOTE = "";
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (DekAlgorithm algorithm : DekAlgorithm.values()) {
      for (boolean rotation : new boolean[] {false, true}) {
        for (FirstWriter first : FirstWriter.values()) {
          cases.add(new Case(algorithm, rotation, first));
        }
      }
    }
    return cases.stream();
  }

  @BeforeAll
  static void installConfluentsClientAndStartRegistry() throws Exception {
    Optional<Path> node = ConfluentJsClient.onPath("node");
    Optional<Path> npm = ConfluentJsClient.onPath("npm");
    assumeTrue(
        node.isPresent() && npm.isPresent(),
        "node and npm are not on PATH: Confluent's JavaScript CSFLE client cannot run here,"
            + " ConfluentJsInteropIT skipped");
    js = ConfluentJsClient.install(Path.of("target", "confluent-interop"), node.get(), npm.get());
    registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    schemas = new InMemorySchemaRegistry();
    registry.serveSchemas(schemas);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Timeout(180)
  void eachSide_decryptsWhatTheOtherWrote(Case c) throws Exception {
    int valueSchemaId = schemas.register(c.topic() + "-value", VALUE_AVRO, ruleSet(c));
    int keySchemaId = schemas.register(c.topic() + "-key", KEY_AVRO, ruleSet(c));
    Plain fromJs = new Plain("js-1", "zoë.ada@js.example", "4111 1111 js".getBytes(UTF_8));
    Plain fromJava = new Plain("java-1", "grâce.ü@java.example", "4222 2222 java".getBytes(UTF_8));

    byte[] jsKey;
    byte[] jsValue;
    byte[] javaKey;
    byte[] javaValue;
    JsonNode jsRead;
    if (c.first() == FirstWriter.CONFLUENT_JS) {
      JsonNode written = js.run(job(serialize(c, true, fromJs), serialize(c, false, fromJs)));
      jsKey = payload(written.get(0));
      jsValue = payload(written.get(1));
      assertDekVersions(c, 1);
      ageFirstDekIfRotating(c);
      SourceRecord encrypted = encryptWithEncryptField(c, fromJava);
      javaKey = ConfluentAvroWire.encode(keySchemaId, fields((Struct) encrypted.key(), KEY));
      javaValue =
          ConfluentAvroWire.encode(valueSchemaId, fields((Struct) encrypted.value(), VALUE));
      jsRead = js.run(job(deserialize(c, true, javaKey), deserialize(c, false, javaValue)));
    } else {
      SourceRecord encrypted = encryptWithEncryptField(c, fromJava);
      javaKey = ConfluentAvroWire.encode(keySchemaId, fields((Struct) encrypted.key(), KEY));
      javaValue =
          ConfluentAvroWire.encode(valueSchemaId, fields((Struct) encrypted.value(), VALUE));
      assertDekVersions(c, 1);
      ageFirstDekIfRotating(c);
      JsonNode results =
          js.run(
              job(
                  deserialize(c, true, javaKey),
                  deserialize(c, false, javaValue),
                  serialize(c, true, fromJs),
                  serialize(c, false, fromJs)));
      jsRead = JSON.createArrayNode().add(results.get(0)).add(results.get(1));
      jsKey = payload(results.get(2));
      jsValue = payload(results.get(3));
    }
    int secondWritersVersion = c.rotation() ? 2 : 1;
    assertDekVersions(c, secondWritersVersion);
    int jsVersion = c.first() == FirstWriter.CONFLUENT_JS ? 1 : secondWritersVersion;
    int javaVersion = c.first() == FirstWriter.ENCRYPT_FIELD ? 1 : secondWritersVersion;

    // Confluent's deserializer read what EncryptField wrote.
    assertThat(record(jsRead.get(0)).get("customerId").asText()).isEqualTo(CUSTOMER_ID);
    JsonNode jsValueRead = record(jsRead.get(1));
    assertThat(jsValueRead.get("id").asText()).isEqualTo(fromJava.id());
    assertThat(jsValueRead.get("email").asText()).isEqualTo(fromJava.email());
    assertThat(jsValueRead.get("note").asText()).isEqualTo(Plain.NOTE);
    assertThat(Base64.getDecoder().decode(jsValueRead.get("card").asText()))
        .isEqualTo(fromJava.card());

    // DecryptField read what Confluent's serializer wrote, taken out of its Avro message.
    Message keyMessage = ConfluentAvroWire.decode(jsKey, true);
    Message valueMessage = ConfluentAvroWire.decode(jsValue, true, true, true, false);
    assertThat(keyMessage.schemaId()).isEqualTo(keySchemaId);
    assertThat(valueMessage.schemaId()).isEqualTo(valueSchemaId);
    SinkRecord decrypted = decryptWithDecryptField(c, keyMessage.fields(), valueMessage.fields());
    assertThat(((Struct) decrypted.key()).getString("customerId")).isEqualTo(CUSTOMER_ID);
    Struct value = (Struct) decrypted.value();
    assertThat(value.getString("id")).isEqualTo(fromJs.id());
    assertThat(value.getString("email")).isEqualTo(fromJs.email());
    assertThat(value.getString("note")).isEqualTo(Plain.NOTE);
    assertThat(bytes(value.get("card"))).isEqualTo(fromJs.card());

    // Both sides' ciphertext has Confluent's layout, with the version each writer used.
    Message javaKeyMessage = ConfluentAvroWire.decode(javaKey, true);
    Message javaValueMessage = ConfluentAvroWire.decode(javaValue, true, true, true, false);
    for (Message key : List.of(keyMessage, javaKeyMessage)) {
      int version = key == keyMessage ? jsVersion : javaVersion;
      assertCiphertext(c, base64Field(key, 0), utf8Length(CUSTOMER_ID), version);
    }
    for (Message message : List.of(valueMessage, javaValueMessage)) {
      Plain plain = message == valueMessage ? fromJs : fromJava;
      int version = message == valueMessage ? jsVersion : javaVersion;
      assertCiphertext(c, base64Field(message, 1), utf8Length(plain.email()), version);
      assertCiphertext(c, base64Field(message, 2), 0, version);
      assertCiphertext(c, (byte[]) message.fields().get(3), plain.card().length, version);
    }
    if (c.algorithm() == DekAlgorithm.AES256_SIV && jsVersion == javaVersion) {
      // Deterministic: same DEK, same plaintext, same bytes from Confluent's code and ours.
      assertThat(keyMessage.fields().get(0)).isEqualTo(javaKeyMessage.fields().get(0));
    }
  }

  @AfterEach
  void stopAgeing() {
    if (registry != null) {
      registry.rewriteAnswers(UnaryOperator.identity());
    }
  }

  /**
   * With rotation, makes every version-1 DEK the registry answers look three days old (both clients
   * expire a DEK when {@code (now - ts) / 1 day >= encrypt.dek.expiry.days}), so the second writer
   * must create version 2 on top of the DEK the first writer created.
   */
  private static void ageFirstDekIfRotating(Case c) {
    if (c.rotation()) {
      long threeDaysAgo = System.currentTimeMillis() - 3 * DAY_MS;
      registry.rewriteAnswers(
          answer ->
              answer.has("encryptedKeyMaterial") && answer.path("version").asInt() == 1
                  ? answer.put("ts", threeDaysAgo)
                  : answer);
    }
  }

  // --- our side -------------------------------------------------------------------------------

  private static Map<String, String> transformConfig(Case c, String fields) {
    Map<String, String> config = new HashMap<>();
    config.put("fields", fields);
    config.put("schema.registry.url", registry.url());
    config.put("encrypt.kek.name", c.kek());
    config.put("encrypt.kms.type", "local-kms");
    config.put("encrypt.kms.key.id", KMS_KEY_ID);
    config.put("kms.secret", SECRET);
    config.put("encrypt.dek.algorithm", c.algorithm().name());
    config.put("encrypt.dek.expiry.days", c.rotation() ? "1" : "0");
    return config;
  }

  private static SourceRecord encryptWithEncryptField(Case c, Plain plain) {
    Struct key = new Struct(KEY).put("customerId", CUSTOMER_ID);
    Struct value =
        new Struct(VALUE)
            .put("id", plain.id())
            .put("email", plain.email())
            .put("note", Plain.NOTE)
            .put("card", plain.card());
    SourceRecord record =
        new SourceRecord(Map.of(), Map.of(), c.topic(), 0, KEY, key, VALUE, value);
    try (EncryptField<SourceRecord> keys = new EncryptField.Key<>();
        EncryptField<SourceRecord> values = new EncryptField.Value<>()) {
      keys.configure(transformConfig(c, "customerId"));
      values.configure(transformConfig(c, "email,note,card"));
      return values.apply(keys.apply(record));
    }
  }

  private static SinkRecord decryptWithDecryptField(Case c, List<Object> key, List<Object> value) {
    Struct keyStruct = new Struct(KEY).put("customerId", key.get(0));
    Struct valueStruct =
        new Struct(VALUE)
            .put("id", value.get(0))
            .put("email", value.get(1))
            .put("note", value.get(2))
            .put("card", value.get(3));
    SinkRecord record = new SinkRecord(c.topic(), 0, KEY, keyStruct, VALUE, valueStruct, 0L);
    try (DecryptField<SinkRecord> keys = new DecryptField.Key<>();
        DecryptField<SinkRecord> values = new DecryptField.Value<>()) {
      keys.configure(transformConfig(c, "customerId"));
      values.configure(transformConfig(c, "email,note,card"));
      return values.apply(keys.apply(record));
    }
  }

  private static List<Object> fields(Struct struct, Schema schema) {
    List<Object> fields = new ArrayList<>();
    schema
        .fields()
        .forEach(f -> fields.add(struct.get(f) instanceof String s ? s : bytes(struct.get(f))));
    return fields;
  }

  private static int utf8Length(String text) {
    return text.getBytes(UTF_8).length;
  }

  private static byte[] bytes(Object value) {
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
    return (byte[]) value;
  }

  // --- Confluent's side -----------------------------------------------------------------------

  private static JsonNode ruleSet(Case c) {
    ObjectNode params = JSON.createObjectNode();
    params.put("encrypt.kek.name", c.kek());
    params.put("encrypt.kms.type", "local-kms");
    params.put("encrypt.kms.key.id", KMS_KEY_ID);
    params.put("encrypt.dek.algorithm", c.algorithm().name());
    if (c.rotation()) {
      params.put("encrypt.dek.expiry.days", "1");
    }
    ObjectNode rule = JSON.createObjectNode();
    rule.put("name", "encrypt-pii");
    rule.put("kind", "TRANSFORM");
    rule.put("mode", "WRITEREAD");
    rule.put("type", "ENCRYPT");
    rule.set("tags", JSON.createArrayNode().add("PII"));
    rule.set("params", params);
    ObjectNode ruleSet = JSON.createObjectNode();
    ruleSet.set("domainRules", JSON.createArrayNode().add(rule));
    return ruleSet;
  }

  private static ObjectNode job(ObjectNode... ops) {
    ObjectNode job = JSON.createObjectNode();
    job.put("registryUrl", registry.url());
    job.put("localSecret", SECRET);
    ArrayNode list = job.putArray("ops");
    Arrays.stream(ops).forEach(list::add);
    return job;
  }

  private static ObjectNode serialize(Case c, boolean isKey, Plain plain) {
    ObjectNode op = JSON.createObjectNode().put("op", "serialize").put("topic", c.topic());
    op.put("key", isKey);
    ObjectNode record = op.putObject("record");
    if (isKey) {
      record.put("customerId", CUSTOMER_ID);
    } else {
      record.put("id", plain.id()).put("email", plain.email()).put("note", Plain.NOTE);
      record.put("card", Base64.getEncoder().encodeToString(plain.card()));
      op.putArray("bytesFields").add("card");
    }
    return op;
  }

  private static ObjectNode deserialize(Case c, boolean isKey, byte[] payload) {
    ObjectNode op = JSON.createObjectNode().put("op", "deserialize").put("topic", c.topic());
    op.put("key", isKey);
    op.put("payload", Base64.getEncoder().encodeToString(payload));
    return op;
  }

  private static byte[] payload(JsonNode result) {
    assertThat(result.has("error")).as("Confluent's serializer failed: %s", result).isFalse();
    return Base64.getDecoder().decode(result.get("payload").asText());
  }

  private static JsonNode record(JsonNode result) {
    assertThat(result.has("error")).as("Confluent's deserializer failed: %s", result).isFalse();
    return result.get("record");
  }

  // --- wire and registry checks ---------------------------------------------------------------

  private static byte[] base64Field(Message message, int index) {
    String text = (String) message.fields().get(index);
    byte[] decoded = Base64.getDecoder().decode(text);
    assertThat(Base64.getEncoder().encodeToString(decoded))
        .as("standard base64 with padding")
        .isEqualTo(text);
    return decoded;
  }

  private static void assertCiphertext(
      Case c, byte[] ciphertext, int plaintextLength, int version) {
    int overhead = c.algorithm() == DekAlgorithm.AES256_SIV ? 16 : 12 + 16;
    int prefix = c.rotation() ? 5 : 0;
    assertThat(ciphertext).hasSize(prefix + overhead + plaintextLength);
    if (c.rotation()) {
      assertThat(ciphertext[0]).isZero();
      assertThat(ByteBuffer.wrap(ciphertext, 1, 4).getInt()).isEqualTo(version);
    }
  }

  /** Both subjects' DEK versions in the registry are exactly {@code 1..latest}. */
  private static void assertDekVersions(Case c, int latest) throws Exception {
    List<Integer> expected = new ArrayList<>();
    for (int v = 1; v <= latest; v++) {
      expected.add(v);
    }
    for (String subject : List.of(c.topic() + "-key", c.topic() + "-value")) {
      String path =
          "/dek-registry/v1/keks/"
              + c.kek()
              + "/deks/"
              + subject
              + "/versions?algorithm="
              + c.algorithm();
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(registry.url() + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(subject).isEqualTo(200);
      List<Integer> versions = new ArrayList<>();
      JSON.readTree(response.body()).forEach(v -> versions.add(v.asInt()));
      assertThat(versions).as(subject).isEqualTo(expected);
    }
  }
}
