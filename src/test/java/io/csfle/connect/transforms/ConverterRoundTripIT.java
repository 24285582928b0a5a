package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.ConnectClusterSupport.assertNoNeedles;
import static io.csfle.connect.transforms.ConnectClusterSupport.awaitSinkRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.isPaddedStandardBase64;
import static io.csfle.connect.transforms.ConnectClusterSupport.json;
import static io.csfle.connect.transforms.ConnectClusterSupport.rawRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.sinkConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.sourceConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.withTransform;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.csfle.connect.codec.SchemaCodec;
import io.csfle.connect.testing.TypedRecords;
import io.csfle.connect.testing.TypedRecordsSourceConnector;
import io.csfle.connect.testkit.ClusterExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Records as the converters leave them, in a real worker: {@link TypedRecordsSourceConnector} emits
 * a field of every Connect type, {@link EncryptField} encrypts many of them (object and element
 * mode), the worker writes them with JsonConverter (schemas enabled, or not), the topic's raw bytes
 * hold none of the plaintexts, and a sink with {@link DecryptField} and the same converter receives
 * exactly what it would have received without encryption.
 */
class ConverterRoundTripIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ConnectClusterSupport.clusters("csfle-converters", "service_load").withRegistry();

  private static final int COUNT = 24;

  /**
   * Typed fields as base64 STRINGs with Decimals in JsonConverter's default BASE64 form, or as raw
   * BYTES (base64 in JSON too) with {@code decimal.format=NUMERIC} for the Decimals left in clear.
   */
  @ParameterizedTest(name = "encrypted.value.type={0} decimal.format={1}")
  @CsvSource({"string,BASE64", "bytes,NUMERIC"})
  @Timeout(60)
  void jsonWithSchemas_everyTypeComesBackWithItsValueAndSchema(String output, String decimals)
      throws Exception {
    String topic = "typed-with-schemas-" + output;
    Map<String, String> converter = Map.of("value.converter.decimal.format", decimals);
    List<ConsumerRecord<byte[], byte[]>> raw =
        encryptTo(
            topic,
            true,
            TypedRecords.SCHEMA_FIELDS,
            Map.of(CsfleConfig.TYPED_OUTPUT_CONFIG, output),
            converter);

    assertNoPlaintext(raw, TypedRecords::secrets);
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      JsonNode value = json(record.value());
      JsonNode payload = value.get("payload");
      assertThat(json(record.key()).get("payload").asLong()).isEqualTo(payload.get("id").asLong());
      assertThat(payload.get("name").asText()).startsWith("Name ");
      for (String field : List.of("i8", "f64", "flag", "email", "price", "seen", "customer")) {
        assertThat(isPaddedStandardBase64(payload.get(field).asText())).as(field).isTrue();
      }
      // The Decimal left in clear takes the converter's decimal.format.
      assertThat(payload.get("total").isNumber()).isEqualTo(decimals.equals("NUMERIC"));
      JsonNode priceSchema = value.at("/schema/fields/12");
      assertThat(priceSchema.get("field").asText()).isEqualTo("price");
      assertThat(priceSchema.get("type").asText()).isEqualTo(output);
      assertThat(priceSchema.at("/parameters/" + SchemaCodec.PARAMETER).asText())
          .contains("org.apache.kafka.connect.data.Decimal");
    }

    List<SinkRecord> received =
        decryptFrom(topic, true, TypedRecords.SCHEMA_FIELDS, Map.of(), converter);
    assertThat(received).extracting(SinkRecord::key).containsExactlyElementsOf(ids());
    JsonConverter writer = converter(true, decimals);
    JsonConverter reader = converter(true, decimals);
    for (SinkRecord record : received) {
      int id = ((Long) record.key()).intValue();
      Struct original = TypedRecords.value(id);
      // What the same converters deliver without encryption: the very same record.
      SchemaAndValue plain =
          reader.toConnectData(
              "plain", writer.fromConnectData("plain", TypedRecords.VALUE_SCHEMA, original));
      assertThat(plain.value()).as("plain value %d", id).isEqualTo(original);
      assertThat(record.keySchema()).isEqualTo(Schema.INT64_SCHEMA);
      assertThat(record.valueSchema())
          .as("schema %d", id)
          .isEqualTo(TypedRecords.DECRYPTED_VALUE_SCHEMA);
      assertThat(record.value()).as("value %d", id).isEqualTo(TypedRecords.decryptedValue(id));
    }
    assertThat(received).extracting(r -> ((Struct) r.value()).get("note")).containsNull();
  }

  /**
   * Without schemas every ciphertext travels as JSON text, including the raw ciphertext of {@code
   * encrypted.value.type=bytes} (JSON's form of bytes is base64); the sink gets what a
   * JsonConverter round trip of the source's maps gives.
   */
  @Test
  @Timeout(60)
  void jsonWithoutSchemas_sinkGetsWhatThePlainPipelineDelivers() throws Exception {
    String topic = "typed-schemaless";
    Map<String, String> bytes = Map.of(CsfleConfig.TYPED_OUTPUT_CONFIG, "bytes");
    List<ConsumerRecord<byte[], byte[]>> raw =
        encryptTo(topic, false, TypedRecords.SCHEMALESS_FIELDS, bytes, Map.of());

    assertNoPlaintext(raw, TypedRecords::schemalessSecrets);
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      JsonNode value = json(record.value());
      assertThat(value.has("schema")).isFalse();
      for (String field : List.of("email", "count", "ratio", "active", "customer", "matrix")) {
        assertThat(isPaddedStandardBase64(value.get(field).asText())).as(field).isTrue();
      }
      assertThat(value.get("id").isIntegralNumber()).isTrue();
    }

    List<SinkRecord> received =
        decryptFrom(topic, false, TypedRecords.SCHEMALESS_FIELDS, Map.of(), Map.of());
    assertThat(received).extracting(SinkRecord::key).containsExactlyElementsOf(ids());
    JsonConverter writer = converter(false, "BASE64");
    JsonConverter reader = converter(false, "BASE64");
    for (SinkRecord record : received) {
      int id = ((Long) record.key()).intValue();
      SchemaAndValue plain =
          reader.toConnectData(
              "plain", writer.fromConnectData("plain", null, TypedRecords.valueMap(id)));
      assertThat(record.valueSchema()).isNull();
      assertThat(record.value()).as("value %d", id).isEqualTo(plain.value());
    }
  }

  // ---- helpers ----

  private static List<Long> ids() {
    return LongStream.range(0, COUNT).boxed().toList();
  }

  private static JsonConverter converter(boolean schemas, String decimalFormat) {
    JsonConverter converter = new JsonConverter();
    converter.configure(
        Map.of("schemas.enable", Boolean.toString(schemas), "decimal.format", decimalFormat),
        false);
    return converter;
  }

  /** JsonConverter for this connector's keys and values, with or without schemas. */
  private static Map<String, String> jsonConverters(Map<String, String> config, boolean schemas) {
    for (String side : List.of("key", "value")) {
      config.put(side + ".converter", JsonConverter.class.getName());
      config.put(side + ".converter.schemas.enable", Boolean.toString(schemas));
    }
    return config;
  }

  private List<ConsumerRecord<byte[], byte[]>> encryptTo(
      String topic,
      boolean schemas,
      String fields,
      Map<String, String> extra,
      Map<String, String> converter)
      throws Exception {
    clusters.connectCluster().kafka().createTopic(topic, 1);
    Map<String, String> config = jsonConverters(sourceConfig(topic, COUNT, !schemas), schemas);
    config.putAll(converter);
    config.put(ConnectorConfig.CONNECTOR_CLASS_CONFIG, TypedRecordsSourceConnector.class.getName());
    String name = "encrypt-" + topic;
    clusters.startConnector(
        name,
        withTransform(
            config, "encrypt", EncryptField.Value.class, fields, clusters.registry().url(), extra));
    return rawRecords(clusters.connectCluster(), name, topic, COUNT);
  }

  private List<SinkRecord> decryptFrom(
      String topic,
      boolean schemas,
      String fields,
      Map<String, String> extra,
      Map<String, String> converter)
      throws InterruptedException {
    String collector = "decrypt-" + topic;
    Map<String, String> config = jsonConverters(sinkConfig(topic, collector), schemas);
    config.putAll(converter);
    clusters.startConnector(
        collector,
        withTransform(
            config, "decrypt", DecryptField.Value.class, fields, clusters.registry().url(), extra));
    List<SinkRecord> received =
        awaitSinkRecords(clusters.connectCluster(), collector, collector, COUNT);
    assertThat(received).hasSize(COUNT);
    return received;
  }

  /** No record's key or value bytes contain a plaintext of any record's encrypted fields. */
  private static void assertNoPlaintext(
      List<ConsumerRecord<byte[], byte[]>> raw, IntFunction<Map<String, byte[]>> secrets) {
    assertThat(raw).hasSize(COUNT);
    Map<String, byte[]> needles = new LinkedHashMap<>();
    for (int i = 0; i < COUNT; i++) {
      String record = " of record " + i;
      secrets.apply(i).forEach((what, needle) -> needles.put(what + record, needle));
    }
    assertNoNeedles(raw, needles);
  }
}
