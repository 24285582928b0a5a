package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.ConnectClusterSupport.assertNoNeedles;
import static io.csfle.connect.transforms.ConnectClusterSupport.awaitSinkRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.indexOf;
import static io.csfle.connect.transforms.ConnectClusterSupport.json;
import static io.csfle.connect.transforms.ConnectClusterSupport.rawRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.sinkConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.sourceConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.withTransform;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.apicurio.registry.utils.converter.AvroConverter;
import io.csfle.connect.codec.SchemaCodec;
import io.csfle.connect.testing.TypedRecords;
import io.csfle.connect.testing.TypedRecordsSourceConnector;
import io.csfle.connect.testkit.ClusterExtension;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records through a real Avro converter with a real schema registry: Apicurio Registry's Kafka
 * Connect {@link AvroConverter} (Confluent's is not served here) as key and value converter of a
 * worker, against a real Apicurio Registry server in its own process ({@link
 * ApicurioRegistryProcess}). {@link TypedRecordsSourceConnector} emits a field of every Connect
 * type, {@link EncryptField} encrypts STRING and BYTES fields and typed ones (ints, floats,
 * booleans, decimals, dates, times, timestamps, structs, arrays, maps; object and element mode),
 * the converter registers the encrypted Avro schema and writes Avro binary, and a sink with the
 * same converter and {@link DecryptField} gets exactly what the same converter delivers without
 * encryption: values and Connect schemas. That needs the typed fields' {@value
 * SchemaCodec#PARAMETER} parameter to survive Avro, which it does as the converter's {@code
 * connect.parameters} (its {@code connect.meta.data}, on by default).
 */
@Timeout(600)
class AvroConverterRoundTripIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ConnectClusterSupport.clusters("csfle-avro", "service_load").withRegistry();

  private static final int COUNT = 12;
  private static final String CONVERTER_PREFIX = "apicurio.registry.";

  private static ApicurioRegistryProcess schemaRegistry;

  @BeforeAll
  @Timeout(480)
  static void start() throws Exception {
    // On a clean checkout this builds the server (Maven), which may take minutes.
    schemaRegistry = ApicurioRegistryProcess.start(Path.of("").toAbsolutePath());
  }

  @AfterAll
  @Timeout(90)
  static void stop() {
    if (schemaRegistry != null) {
      schemaRegistry.close();
    }
  }

  @ParameterizedTest(name = "encrypted.value.type={0}")
  @ValueSource(strings = {"string", "bytes"})
  @Timeout(120)
  void avroWithRegistry_everyTypeComesBackWithItsValueAndSchema(String output) throws Exception {
    String topic = "avro-typed-" + output;
    List<ConsumerRecord<byte[], byte[]>> raw = encryptTo(topic, output);

    assertNoPlaintext(raw);
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      // Apicurio's frame with headers off: magic byte 0, then the schema's global id.
      assertThat(record.value()[0]).isZero();
      assertThat(record.key()[0]).isZero();
    }
    assertRegisteredSchemaHoldsCiphertextTypes(topic, output);

    List<SinkRecord> received = decryptFrom(topic);
    assertThat(received)
        .extracting(SinkRecord::key)
        .containsExactlyElementsOf(LongStream.range(0, COUNT).boxed().toList());
    AvroConverter<?> writer = converter(false);
    AvroConverter<?> reader = converter(false);
    AvroConverter<?> keyWriter = converter(true);
    AvroConverter<?> keyReader = converter(true);
    String plainTopic = "plain-" + topic;
    // The search in assertNoPlaintext finds the plaintexts where the converter writes them.
    byte[] plainBytes = writer.fromConnectData(plainTopic, TypedRecords.VALUE_SCHEMA, original(3));
    assertThat(indexOf(plainBytes, avroLong(TypedRecords.i64(3)))).isPositive();
    assertThat(indexOf(plainBytes, TypedRecords.email(3).getBytes(UTF_8))).isPositive();
    for (SinkRecord record : received) {
      int id = ((Long) record.key()).intValue();
      Struct original = original(id);
      // What the same converter delivers without encryption: the very same record.
      SchemaAndValue plain =
          reader.toConnectData(
              plainTopic, writer.fromConnectData(plainTopic, TypedRecords.VALUE_SCHEMA, original));
      assertThat(plain.schema()).as("plain schema %d", id).isEqualTo(TypedRecords.VALUE_SCHEMA);
      assertThat(bytesAsArrays(plain.value())).as("plain value %d", id).isEqualTo(original);
      // Apicurio's converter reads a primitive key back without a schema, encrypted or not.
      SchemaAndValue plainKey =
          keyReader.toConnectData(
              plainTopic, keyWriter.fromConnectData(plainTopic, Schema.INT64_SCHEMA, (long) id));
      assertThat(record.keySchema()).isEqualTo(plainKey.schema());
      // Decrypted: the same, except that the encrypted field's own default is left out.
      assertThat(record.valueSchema())
          .as("schema %d", id)
          .isEqualTo(TypedRecords.DECRYPTED_VALUE_SCHEMA);
      assertThat(bytesAsArrays(record.value()))
          .as("value %d", id)
          .isEqualTo(TypedRecords.decryptedValue(id));
    }
  }

  private static Struct original(int id) {
    return TypedRecords.value(id);
  }

  /**
   * The value with every BYTES value as a {@code byte[]}. Connect takes a {@code byte[]} or a
   * {@link ByteBuffer} for BYTES, and {@link Struct#equals} tells them apart: the Avro converter
   * hands out buffers, {@link DecryptField} and {@link TypedRecords} arrays.
   */
  private static Object bytesAsArrays(Object value) {
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
    if (value instanceof Struct struct) {
      Struct copy = new Struct(struct.schema());
      struct.schema().fields().forEach(f -> copy.put(f, bytesAsArrays(struct.get(f))));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(element -> copy.add(bytesAsArrays(element)));
      return copy;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(bytesAsArrays(k), bytesAsArrays(v)));
      return copy;
    }
    return value;
  }

  // ---- the registry's view ----

  /**
   * The latest Avro schema the converter registered for the topic's values: encrypted fields are
   * Avro strings or bytes (the typed ones carrying the original Connect schema as a Connect
   * parameter), fields left in clear keep their own Avro types.
   */
  private static void assertRegisteredSchemaHoldsCiphertextTypes(String topic, String output)
      throws Exception {
    JsonNode avro =
        json(schemaRegistry.get("/groups/default/artifacts/" + topic + "-value").getBytes(UTF_8));
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    avro.get("fields").forEach(f -> fields.put(f.get("name").asText(), f.get("type")));

    // STRING and BYTES fields are always encrypted to their own type.
    assertThat(fields.get("email").asText()).isEqualTo("string");
    assertThat(fields.get("blob").asText()).isEqualTo("bytes");
    for (String typed : List.of("i8", "i32", "f64", "flag", "price", "birthday", "seen")) {
      JsonNode type = fields.get(typed);
      assertThat(type.path("type").asText()).as(typed).isEqualTo(output);
      assertThat(type.has("logicalType")).as(typed).isFalse();
      assertThat(type.at("/connect.parameters/" + SchemaCodec.PARAMETER).asText())
          .as(typed)
          .isNotEmpty();
    }
    // Whole struct and map in object mode, array elements in element mode.
    assertThat(fields.get("customer").path("type").asText()).isEqualTo(output);
    assertThat(fields.get("attrs").path("type").asText()).isEqualTo(output);
    assertThat(fields.get("lines").at("/items/fields/2/type/type").asText()).isEqualTo(output);
    // Left in clear.
    assertThat(fields.get("name").asText()).isEqualTo("string");
    assertThat(fields.get("id").asText()).isEqualTo("long");
    assertThat(fields.get("total").path("logicalType").asText()).isEqualTo("decimal");
  }

  // ---- connectors ----

  private AvroConverter<?> converter(boolean isKey) {
    AvroConverter<?> converter = new AvroConverter<>();
    Map<String, Object> config = new HashMap<>();
    converterConfig().forEach(config::put);
    converter.configure(config, isKey);
    return converter;
  }

  /** Apicurio's AvroConverter settings, without the {@code key.converter.} prefix. */
  private static Map<String, String> converterConfig() {
    return Map.of(
        CONVERTER_PREFIX + "url",
        schemaRegistry.apiUrl(),
        CONVERTER_PREFIX + "auto-register",
        "true",
        // Schema id in the record bytes, as Confluent's converter writes it, not in headers.
        CONVERTER_PREFIX + "headers.enabled",
        "false");
  }

  private static Map<String, String> avroConverters(Map<String, String> config) {
    for (String side : List.of("key", "value")) {
      config.put(side + ".converter", AvroConverter.class.getName());
      converterConfig().forEach((k, v) -> config.put(side + ".converter." + k, v));
    }
    return config;
  }

  private List<ConsumerRecord<byte[], byte[]>> encryptTo(String topic, String output)
      throws Exception {
    clusters.connectCluster().kafka().createTopic(topic, 1);
    Map<String, String> config = avroConverters(sourceConfig(topic, COUNT, false));
    config.put(ConnectorConfig.CONNECTOR_CLASS_CONFIG, TypedRecordsSourceConnector.class.getName());
    String name = "encrypt-" + topic;
    clusters.startConnector(
        name,
        withTransform(
            config,
            "encrypt",
            EncryptField.Value.class,
            TypedRecords.SCHEMA_FIELDS,
            clusters.registry().url(),
            Map.of(CsfleConfig.TYPED_OUTPUT_CONFIG, output)));
    return rawRecords(clusters.connectCluster(), name, topic, COUNT);
  }

  private List<SinkRecord> decryptFrom(String topic) throws InterruptedException {
    String collector = "decrypt-" + topic;
    Map<String, String> config = avroConverters(sinkConfig(topic, collector));
    clusters.startConnector(
        collector,
        withTransform(
            config,
            "decrypt",
            DecryptField.Value.class,
            TypedRecords.SCHEMA_FIELDS,
            clusters.registry().url(),
            Map.of()));
    List<SinkRecord> received =
        awaitSinkRecords(clusters.connectCluster(), collector, collector, COUNT);
    assertThat(received).hasSize(COUNT);
    return received;
  }

  // ---- plaintext search ----

  /**
   * No record's key or value bytes contain a plaintext of any record's encrypted fields: as text,
   * raw bytes, or (for the 64-bit integers) as Avro's own zig-zag varint encoding.
   */
  private static void assertNoPlaintext(List<ConsumerRecord<byte[], byte[]>> raw) {
    assertThat(raw).hasSize(COUNT);
    Map<String, byte[]> needles = new LinkedHashMap<>();
    for (int i = 0; i < COUNT; i++) {
      String record = " of record " + i;
      TypedRecords.secrets(i).forEach((what, needle) -> needles.put(what + record, needle));
      needles.put("i64 as Avro long" + record, avroLong(TypedRecords.i64(i)));
      needles.put("micros as Avro long" + record, avroLong(TypedRecords.micros(i)));
    }
    assertNoNeedles(raw, needles);
  }

  /** Avro's binary encoding of a long: zig-zag, then base-128 varint. */
  static byte[] avroLong(long value) {
    long zigzag = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((zigzag & ~0x7FL) != 0) {
      out.write((int) ((zigzag & 0x7F) | 0x80));
      zigzag >>>= 7;
    }
    out.write((int) zigzag);
    return out.toByteArray();
  }
}
