package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.decryptValue;
import static io.csfle.connect.transforms.TransformFixtures.encryptValue;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.codec.SchemaCodec;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testing.TypedRecords;
import io.csfle.connect.testkit.TestRecords;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records as the converters leave them: a source record goes through {@link EncryptField}, is
 * serialized by a real {@link JsonConverter}, deserialized by a second one (as a sink's worker
 * would) and decrypted by {@link DecryptField}. The sink must get exactly what the same pipeline
 * without encryption gives, and the bytes on the wire must not contain the plaintexts.
 */
class JsonConverterRoundTripTest {
  private static final int RECORDS = 24;
  private static final String TOPIC = TransformFixtures.TOPIC;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static InMemoryDekRegistryServer registry;
  private final List<Transformation<?>> opened = new ArrayList<>();

  @BeforeAll
  static void startRegistry() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @AfterEach
  void closeTransforms() {
    opened.forEach(Transformation::close);
  }

  @ParameterizedTest(name = "decimal.format={0} encrypted.value.type={1}")
  @CsvSource({"BASE64,string", "NUMERIC,string", "BASE64,bytes"})
  void schemaRecords_everyTypeRestoredWithItsSchemaAfterJsonConverter(
      String decimalFormat, String output) throws IOException {
    Map<String, String> converterConfig =
        Map.of("schemas.enable", "true", "decimal.format", decimalFormat);
    JsonConverter sourceConverter = converter(converterConfig);
    JsonConverter sinkConverter = converter(converterConfig);
    Transforms t = transforms(TypedRecords.SCHEMA_FIELDS, output);

    for (int i = 0; i < RECORDS; i++) {
      Struct original = TypedRecords.value(i);
      // Precondition: JsonConverter alone gives back this very record and schema.
      SchemaAndValue plain =
          sinkConverter.toConnectData(
              TOPIC, sourceConverter.fromConnectData(TOPIC, original.schema(), original));
      assertThat(plain.schema()).as("plain schema %d", i).isEqualTo(TypedRecords.VALUE_SCHEMA);
      assertThat(plain.value()).as("plain value %d", i).isEqualTo(TypedRecords.value(i));

      SourceRecord encrypted = t.encrypt.apply(sourceRecord(original.schema(), original));
      byte[] wire =
          sourceConverter.fromConnectData(TOPIC, encrypted.valueSchema(), encrypted.value());
      assertNoSecrets(wire, TypedRecords.secrets(i));
      assertEncryptedJson(JSON.readTree(wire), output, decimalFormat);

      SinkRecord decrypted = t.decrypt.apply(sinkRecord(sinkConverter.toConnectData(TOPIC, wire)));
      assertThat(decrypted.valueSchema())
          .as("schema %d", i)
          .isEqualTo(TypedRecords.DECRYPTED_VALUE_SCHEMA);
      assertThat(decrypted.value()).as("value %d", i).isEqualTo(TypedRecords.decryptedValue(i));
    }
  }

  @ParameterizedTest(name = "encrypted.value.type={0}")
  @ValueSource(strings = {"string", "bytes"})
  void schemalessMaps_sinkGetsWhatThePlainPipelineGives(String output) {
    Map<String, String> converterConfig = Map.of("schemas.enable", "false");
    JsonConverter sourceConverter = converter(converterConfig);
    JsonConverter sinkConverter = converter(converterConfig);
    Transforms t = transforms(TypedRecords.SCHEMALESS_FIELDS, output);

    for (int i = 0; i < RECORDS; i++) {
      Map<String, Object> original = TypedRecords.valueMap(i);
      SchemaAndValue plain =
          sinkConverter.toConnectData(
              TOPIC, sourceConverter.fromConnectData(TOPIC, null, original));
      // Precondition: JSON-native Java types survive JsonConverter (as HashMaps and ArrayLists).
      assertThat(plain.value()).as("plain value %d", i).isEqualTo(TypedRecords.valueMap(i));

      SourceRecord encrypted = t.encrypt.apply(sourceRecord(null, original));
      byte[] wire = sourceConverter.fromConnectData(TOPIC, null, encrypted.value());
      assertNoSecrets(wire, TypedRecords.schemalessSecrets(i));

      SchemaAndValue read = sinkConverter.toConnectData(TOPIC, wire);
      assertThat(read.schema()).isNull();
      Map<?, ?> onTheWire = (Map<?, ?>) read.value();
      // Whatever encrypted.value.type, schemaless JSON carries every ciphertext as base64 text.
      assertThat(onTheWire.get("count")).isInstanceOf(String.class);
      assertThat(onTheWire.get("customer")).isInstanceOf(String.class);
      if (TypedRecords.note(i) == null) {
        assertThat(onTheWire.get("note")).isNull();
      } else {
        assertThat(onTheWire.get("note")).isInstanceOf(String.class);
      }

      SinkRecord decrypted = t.decrypt.apply(sinkRecord(read));
      assertThat(decrypted.valueSchema()).isNull();
      assertThat(decrypted.value()).as("value %d", i).isEqualTo(plain.value());
      assertThat(javaTypes(decrypted.value()))
          .as("types %d", i)
          .isEqualTo(javaTypes(plain.value()));
    }
  }

  /**
   * JsonConverter writes NaN and infinities as JSON strings and reads them back (with a schema) as
   * 0.0, and -0.0 comes back as 0.0; an unset optional field with a default is written as the
   * default. Encrypted fields carry their exact bits, so they come back unchanged: the only
   * difference from the plain pipeline, and the better one. An unset encrypted field is encrypted
   * as its default; the default itself, a plaintext, leaves the encrypted field's schema.
   */
  @Test
  void schemaRecords_valuesJsonConverterAltersAreExactWhenEncrypted() {
    Schema schema =
        SchemaBuilder.struct()
            .name("Lossy")
            .field("nan", Schema.FLOAT64_SCHEMA)
            .field("inf", Schema.FLOAT64_SCHEMA)
            .field("negZero", Schema.FLOAT64_SCHEMA)
            .field("nan32", Schema.FLOAT32_SCHEMA)
            .field("tier", SchemaBuilder.string().optional().defaultValue("gold-tier").build())
            .field("level", SchemaBuilder.int16().optional().defaultValue((short) 3).build())
            .field("plainNan", Schema.FLOAT64_SCHEMA)
            .field("plainNegZero", Schema.FLOAT64_SCHEMA)
            .field("plainTier", SchemaBuilder.string().optional().defaultValue("standard").build())
            .build();
    Struct original =
        new Struct(schema)
            .put("nan", Double.NaN)
            .put("inf", Double.NEGATIVE_INFINITY)
            .put("negZero", -0.0)
            .put("nan32", Float.NaN)
            .put("plainNan", Double.NaN)
            .put("plainNegZero", -0.0);
    Map<String, String> converterConfig = Map.of("schemas.enable", "true");
    JsonConverter sourceConverter = converter(converterConfig);
    JsonConverter sinkConverter = converter(converterConfig);

    SchemaAndValue plain =
        sinkConverter.toConnectData(
            TOPIC, sourceConverter.fromConnectData(TOPIC, schema, original));
    Struct plainValue = (Struct) plain.value();
    assertThat(plain.schema()).isEqualTo(schema);
    assertThat(plainValue.getFloat64("plainNan")).isEqualTo(0.0);
    assertThat(plainValue.getFloat64("nan")).isEqualTo(0.0);
    assertThat(Double.doubleToRawLongBits(plainValue.getFloat64("plainNegZero"))).isZero();
    assertThat(plainValue.getWithoutDefault("plainTier")).isEqualTo("standard");

    Transforms t = transforms("nan,inf,negZero,nan32,tier,level", "string");
    SourceRecord encrypted = t.encrypt.apply(sourceRecord(schema, original));
    byte[] wire =
        sourceConverter.fromConnectData(TOPIC, encrypted.valueSchema(), encrypted.value());
    assertThat(new String(wire, UTF_8)).doesNotContain("gold-tier");
    SinkRecord decrypted = t.decrypt.apply(sinkRecord(sinkConverter.toConnectData(TOPIC, wire)));

    Schema withoutEncryptedDefaults =
        SchemaBuilder.struct()
            .name("Lossy")
            .field("nan", Schema.FLOAT64_SCHEMA)
            .field("inf", Schema.FLOAT64_SCHEMA)
            .field("negZero", Schema.FLOAT64_SCHEMA)
            .field("nan32", Schema.FLOAT32_SCHEMA)
            .field("tier", Schema.OPTIONAL_STRING_SCHEMA)
            .field("level", Schema.OPTIONAL_INT16_SCHEMA)
            .field("plainNan", Schema.FLOAT64_SCHEMA)
            .field("plainNegZero", Schema.FLOAT64_SCHEMA)
            .field("plainTier", SchemaBuilder.string().optional().defaultValue("standard").build())
            .build();
    Struct expected =
        new Struct(withoutEncryptedDefaults)
            .put("nan", Double.NaN)
            .put("inf", Double.NEGATIVE_INFINITY)
            .put("negZero", -0.0)
            .put("nan32", Float.NaN)
            .put("tier", "gold-tier")
            .put("level", (short) 3)
            .put("plainNan", 0.0)
            .put("plainNegZero", 0.0)
            .put("plainTier", "standard");
    assertThat(decrypted.valueSchema()).isEqualTo(withoutEncryptedDefaults);
    assertThat(decrypted.value()).isEqualTo(expected);
  }

  /**
   * Without schemas, JsonConverter turns an Integer into a Long, a byte[] into its base64 text and
   * NaN into the string "NaN", and cannot write a BigDecimal or Date at all. Encrypted, each of
   * them is typed plaintext inside a base64 string, so the sink gets the source's Java value back.
   */
  @Test
  void schemalessMaps_nonJsonJavaTypesComeBackAsTheSourceMadeThem() {
    byte[] bytes = {(byte) 0xFF, 0x00, 0x7F};
    Map<String, Object> original = new LinkedHashMap<>();
    original.put("int", 7);
    original.put("short", (short) -3);
    original.put("float", 1.5f);
    original.put("bytes", bytes);
    original.put("nan", Double.NaN);
    original.put("negZero", -0.0);
    original.put("decimal", new BigDecimal("-12.3400"));
    original.put("when", new java.util.Date(1_700_000_000_123L));
    original.put("nested", new LinkedHashMap<>(Map.of("n", 1)));
    original.put("plainInt", 7);
    original.put("plainBytes", bytes);
    original.put("plainNan", Double.NaN);
    Map<String, String> converterConfig = Map.of("schemas.enable", "false");
    JsonConverter sourceConverter = converter(converterConfig);
    JsonConverter sinkConverter = converter(converterConfig);

    assertThatThrownBy(() -> sourceConverter.fromConnectData(TOPIC, null, original))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("BigDecimal");

    Transforms t = transforms("int,short,float,bytes,nan,negZero,decimal,when,nested", "string");
    SourceRecord encrypted = t.encrypt.apply(sourceRecord(null, original));
    byte[] wire = sourceConverter.fromConnectData(TOPIC, null, encrypted.value());
    SinkRecord decrypted = t.decrypt.apply(sinkRecord(sinkConverter.toConnectData(TOPIC, wire)));

    Map<?, ?> received = (Map<?, ?>) decrypted.value();
    assertThat(received.get("int")).isEqualTo(7);
    assertThat(received.get("short")).isEqualTo((short) -3);
    assertThat(received.get("float")).isEqualTo(1.5f);
    assertThat((byte[]) received.get("bytes")).containsExactly(bytes);
    assertThat(received.get("nan")).isEqualTo(Double.NaN);
    assertThat(received.get("negZero")).isEqualTo(-0.0);
    assertThat(received.get("decimal")).isEqualTo(new BigDecimal("-12.3400"));
    assertThat(received.get("when")).isEqualTo(new java.util.Date(1_700_000_000_123L));
    assertThat(received.get("nested")).isEqualTo(Map.of("n", 1));
    // What JsonConverter makes of the same values when they are not encrypted.
    assertThat(received.get("plainInt")).isEqualTo(7L);
    assertThat(received.get("plainBytes")).isEqualTo(Base64.getEncoder().encodeToString(bytes));
    assertThat(received.get("plainNan")).isEqualTo("NaN");
  }

  /**
   * Without schemas, JsonConverter writes a map whose keys are not all strings as an array of
   * {@code [key, value]} pairs, and the sink reads back a list of lists. Element mode on such a map
   * ({@code scores[*]}) therefore finds lists, not ciphertexts, at the sink: a DataException naming
   * the field, never a silent pass. Object mode encrypts the map before the converter sees it and
   * restores it as the map the source made.
   */
  @Test
  void schemalessMapWithNonStringKeys_elementModeFailsAtTheSinkAndObjectModeWorks() {
    Map<String, String> converterConfig = Map.of("schemas.enable", "false");
    JsonConverter sourceConverter = converter(converterConfig);
    JsonConverter sinkConverter = converter(converterConfig);
    Map<Object, Object> scores = new LinkedHashMap<>();
    scores.put(1L, "score-secret");
    Map<String, Object> original = new LinkedHashMap<>();
    original.put("scores", scores);
    original.put("id", 1L);

    Object plain =
        sinkConverter
            .toConnectData(TOPIC, sourceConverter.fromConnectData(TOPIC, null, original))
            .value();
    assertThat(((Map<?, ?>) plain).get("scores")).isEqualTo(List.of(List.of(1L, "score-secret")));

    Transforms elements = transforms("scores[*]", "string");
    byte[] wire =
        sourceConverter.fromConnectData(
            TOPIC, null, elements.encrypt.apply(sourceRecord(null, original)).value());
    assertNoSecrets(wire, Map.of("score", "score-secret".getBytes(UTF_8)));
    SchemaAndValue read = sinkConverter.toConnectData(TOPIC, wire);
    assertThatThrownBy(() -> elements.decrypt.apply(sinkRecord(read)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("scores[*]")
        .hasMessageContaining("not a ciphertext");

    Transforms whole = transforms("scores", "string");
    wire =
        sourceConverter.fromConnectData(
            TOPIC, null, whole.encrypt.apply(sourceRecord(null, original)).value());
    SinkRecord decrypted =
        whole.decrypt.apply(sinkRecord(sinkConverter.toConnectData(TOPIC, wire)));
    assertThat(decrypted.value()).isEqualTo(original);
  }

  @Test
  void schemalessMap_jsonKeepsTheInputsFieldOrderAfterEncryptAndDecrypt() throws IOException {
    Map<String, Object> customer = new LinkedHashMap<>();
    customer.put("tier", "gold");
    customer.put("email", "c-order@example.com");
    Map<String, Object> original = new LinkedHashMap<>();
    original.put("zone", "eu");
    original.put("email", "order@example.com");
    original.put("id", 7);
    original.put("ssn", "123-45-6789");
    original.put("missing", null);
    original.put("customer", customer);
    original.put("active", true);
    original.put("alias", "order-alias");
    original.put("b", 2);
    original.put("a", 1);
    Map<String, String> converterConfig = Map.of("schemas.enable", "false");
    JsonConverter converter = converter(converterConfig);
    Transforms t = transforms("email,ssn,alias,customer.email", "string");

    SourceRecord encrypted = t.encrypt.apply(sourceRecord(null, original));
    JsonNode encryptedJson =
        JSON.readTree(converter.fromConnectData(TOPIC, null, encrypted.value()));
    SinkRecord decrypted =
        t.decrypt.apply(TestRecords.sink(TOPIC, 0, null, encrypted.value(), 42L));
    byte[] decryptedWire = converter.fromConnectData(TOPIC, null, decrypted.value());
    JsonNode decryptedJson = JSON.readTree(decryptedWire);

    assertThat(fieldNames(encryptedJson)).containsExactlyElementsOf(original.keySet());
    assertThat(fieldNames(encryptedJson.get("customer"))).containsExactly("tier", "email");
    assertThat(encryptedJson.get("email").asText()).isNotEqualTo("order@example.com");
    assertThat(fieldNames(decryptedJson)).containsExactlyElementsOf(original.keySet());
    assertThat(fieldNames(decryptedJson.get("customer"))).containsExactly("tier", "email");
    assertThat(decryptedJson)
        .isEqualTo(JSON.readTree(converter.fromConnectData(TOPIC, null, original)));
    assertThat(decrypted.value()).isEqualTo(original).isNotSameAs(original);
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  // ---- helpers ----

  private record Transforms(EncryptField<SourceRecord> encrypt, DecryptField<SinkRecord> decrypt) {}

  private Transforms transforms(String fields, String output) {
    Map<String, String> config = config(registry, fields);
    config.put(CsfleConfig.TYPED_OUTPUT_CONFIG, output);
    Transforms t = new Transforms(encryptValue(config), decryptValue(config));
    opened.add(t.encrypt);
    opened.add(t.decrypt);
    return t;
  }

  private static JsonConverter converter(Map<String, String> config) {
    JsonConverter converter = new JsonConverter();
    converter.configure(config, false);
    return converter;
  }

  private static SourceRecord sourceRecord(Schema schema, Object value) {
    return TestRecords.source(TOPIC, schema, value);
  }

  private static SinkRecord sinkRecord(SchemaAndValue read) {
    return TestRecords.sink(TOPIC, 0, read.schema(), read.value(), 42L);
  }

  private static void assertNoSecrets(byte[] wire, Map<String, byte[]> secrets) {
    secrets.forEach(
        (what, secret) ->
            assertThat(ConnectClusterSupport.indexOf(wire, secret))
                .as("'%s' in %s", what, new String(wire, UTF_8))
                .isEqualTo(-1));
  }

  /**
   * The JSON envelope of an encrypted {@link TypedRecords#value}: Confluent-native fields keep
   * their schema, typed fields become STRING or BYTES with the original schema in a parameter, and
   * every encrypted value is padded base64 text (JSON's form of BYTES is base64 too).
   */
  private static void assertEncryptedJson(JsonNode json, String output, String decimalFormat) {
    String typedType = output.equals("bytes") ? "bytes" : "string";
    Map<String, JsonNode> fieldSchemas = new LinkedHashMap<>();
    json.at("/schema/fields").forEach(f -> fieldSchemas.put(f.get("field").asText(), f));
    JsonNode payload = json.get("payload");

    assertThat(fieldSchemas.get("email").get("type").asText()).isEqualTo("string");
    assertThat(fieldSchemas.get("email").has("parameters")).isFalse();
    assertThat(fieldSchemas.get("blob").get("type").asText()).isEqualTo("bytes");
    for (String typed : List.of("i64", "f64", "price", "birthday", "micros", "customer", "attrs")) {
      JsonNode fieldSchema = fieldSchemas.get(typed);
      assertThat(fieldSchema.get("type").asText()).as(typed).isEqualTo(typedType);
      assertThat(fieldSchema.has("name")).as(typed).isFalse();
      assertThat(fieldSchema.at("/parameters/" + SchemaCodec.PARAMETER).isTextual())
          .as(typed)
          .isTrue();
    }
    for (String name : Arrays.asList(TypedRecords.SCHEMA_FIELDS.split(","))) {
      if (name.contains("[")) {
        continue;
      }
      JsonNode value = payload.get(name);
      if (!value.isNull()) {
        assertThat(value.isTextual()).as(name).isTrue();
        assertThat(ConnectClusterSupport.isPaddedStandardBase64(value.asText())).as(name).isTrue();
      }
    }
    assertThat(payload.get("id").isIntegralNumber()).isTrue();
    // The Decimal left in clear takes the converter's decimal.format.
    assertThat(payload.get("total").isNumber()).isEqualTo(decimalFormat.equals("NUMERIC"));
    for (JsonNode line : payload.get("lines")) {
      assertThat(line.get("sku").isTextual()).isTrue();
      assertThat(line.get("price").isTextual()).isTrue();
      assertThat(line.get("qty").isIntegralNumber()).isTrue();
    }
    JsonNode lineFields = fieldSchemas.get("lines").at("/items/fields");
    assertThat(lineFields.get(2).get("field").asText()).isEqualTo("price");
    assertThat(lineFields.get(2).get("type").asText()).isEqualTo(typedType);
    // A map with INT32 keys is a JSON array of [key, value] pairs; keys stay, values are encrypted.
    assertThat(fieldSchemas.get("scores").at("/values/type").asText()).isEqualTo(typedType);
  }

  /** The Java classes of a value's tree, to compare where equals would forgive a difference. */
  private static Object javaTypes(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> types = new LinkedHashMap<>();
      map.forEach((k, v) -> types.put(k, javaTypes(v)));
      return types;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(JsonConverterRoundTripTest::javaTypes).toList();
    }
    return value == null ? "null" : value.getClass().getSimpleName();
  }
}
