package io.csfle.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden vectors of typed plaintext format v1. These bytes are inside released ciphertexts: they
 * may never change. A failure here means the format changed, not that the vector needs updating.
 * The expected hex was worked out by hand from docs/FORMAT.md, not copied from the encoder.
 */
class TypedValueCodecGoldenTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> withSchema() {
    Schema point =
        SchemaBuilder.struct()
            .field("id", Schema.INT32_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Schema variableScaleDecimal =
        SchemaBuilder.struct()
            .name("io.debezium.data.VariableScaleDecimal")
            .version(1)
            .field("scale", Schema.INT32_SCHEMA)
            .field("value", Schema.BYTES_SCHEMA)
            .build();
    Schema microTimestamp =
        SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).build();
    Schema optionalInts = SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).build();
    Schema counts = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build();
    List<Object> oneAndNull = new ArrayList<>(Arrays.asList(1, null));
    Map<Object, Object> a1 = new LinkedHashMap<>(Map.of("a", 1L));
    return Stream.of(
        golden("BOOLEAN true", Schema.BOOLEAN_SCHEMA, true, "ff01" + "0101"),
        golden("BOOLEAN false", Schema.BOOLEAN_SCHEMA, false, "ff01" + "0100"),
        golden("INT8 -1", Schema.INT8_SCHEMA, (byte) -1, "ff01" + "02ff"),
        golden("INT16 0x1234", Schema.INT16_SCHEMA, (short) 0x1234, "ff01" + "031234"),
        golden("INT32 -2", Schema.INT32_SCHEMA, -2, "ff01" + "04fffffffe"),
        golden("INT64 min", Schema.INT64_SCHEMA, Long.MIN_VALUE, "ff01" + "058000000000000000"),
        golden("FLOAT32 1.5", Schema.FLOAT32_SCHEMA, 1.5f, "ff01" + "063fc00000"),
        golden("FLOAT32 -0.0", Schema.FLOAT32_SCHEMA, -0.0f, "ff01" + "0680000000"),
        golden(
            "FLOAT32 NaN payload",
            Schema.FLOAT32_SCHEMA,
            Float.intBitsToFloat(0x7fc00001),
            "ff01" + "067fc00001"),
        golden("FLOAT64 -2.5", Schema.FLOAT64_SCHEMA, -2.5d, "ff01" + "07c004000000000000"),
        golden("FLOAT64 NaN", Schema.FLOAT64_SCHEMA, Double.NaN, "ff01" + "077ff8000000000000"),
        golden("STRING empty", Schema.STRING_SCHEMA, "", "ff01" + "0800"),
        golden(
            "STRING unicode", Schema.STRING_SCHEMA, "hé€😀", "ff01" + "080a68c3a9e282acf09f9880"),
        golden(
            "STRING 300 chars",
            Schema.STRING_SCHEMA,
            "x".repeat(300),
            "ff01" + "08ac02" + "78".repeat(300)),
        golden("BYTES", Schema.BYTES_SCHEMA, new byte[] {1, 2, 3}, "ff01" + "0903010203"),
        golden("BYTES empty", Schema.BYTES_SCHEMA, new byte[0], "ff01" + "0900"),
        golden(
            "BYTES 128",
            Schema.BYTES_SCHEMA,
            filled(128, 0xAB),
            "ff01" + "098001" + "ab".repeat(128)),
        golden("ARRAY", optionalInts, oneAndNull, "ff01" + "0a02" + "0400000001" + "00"),
        golden("ARRAY empty", optionalInts, new ArrayList<>(), "ff01" + "0a00"),
        golden("MAP", counts, a1, "ff01" + "0b01" + "080161" + "050000000000000001"),
        golden(
            "STRUCT",
            point,
            new Struct(point).put("id", 7),
            "ff01" + "0c02" + "026964" + "0400000007" + "046e616d65" + "00"),
        golden(
            "STRUCT VariableScaleDecimal",
            variableScaleDecimal,
            new Struct(variableScaleDecimal).put("scale", 2).put("value", new byte[] {0x30, 0x39}),
            "ff01" + "0c02" + "057363616c65" + "0400000002" + "0576616c7565" + "09023039"),
        golden(
            "DECIMAL 123.45", Decimal.schema(2), new BigDecimal("123.45"), "ff01" + "0d04023039"),
        golden(
            "DECIMAL -1E+3",
            Decimal.schema(-3),
            new BigDecimal(BigInteger.ONE.negate(), -3),
            "ff01" + "0d0501ff"),
        golden("DECIMAL 128", Decimal.schema(0), new BigDecimal(128), "ff01" + "0d00020080"),
        golden("DATE +1 day", Date.SCHEMA, new java.util.Date(86_400_000L), "ff01" + "0e00000001"),
        golden("DATE -1 day", Date.SCHEMA, new java.util.Date(-86_400_000L), "ff01" + "0effffffff"),
        golden("TIME 12:00", Time.SCHEMA, new java.util.Date(43_200_000L), "ff01" + "0f02932e00"),
        golden(
            "TIMESTAMP",
            Timestamp.SCHEMA,
            new java.util.Date(1_700_000_000_000L),
            "ff01" + "100000018bcfe56800"),
        golden(
            "Debezium MicroTimestamp is INT64",
            microTimestamp,
            -1L,
            "ff01" + "05ffffffffffffffff"));
  }

  static Stream<Arguments> schemaless() {
    Map<Object, Object> nested = new LinkedHashMap<>();
    nested.put("k", new ArrayList<>(Arrays.asList(true, 1L, 2.0d, null)));
    return Stream.of(
        golden("Long", null, 5L, "ff01" + "050000000000000005"),
        golden("Integer", null, 5, "ff01" + "0400000005"),
        golden("String", null, "é", "ff01" + "0802c3a9"),
        golden("byte[]", null, new byte[] {(byte) 0xff}, "ff01" + "0901ff"),
        golden("BigDecimal", null, new BigDecimal("-0.5"), "ff01" + "0d0201fb"),
        golden("java.util.Date", null, new java.util.Date(-1L), "ff01" + "10ffffffffffffffff"),
        golden(
            "Map of List",
            null,
            nested,
            "ff01"
                + "0b01"
                + "08016b"
                + "0a04"
                + "0101"
                + "050000000000000001"
                + "074000000000000000"
                + "00"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withSchema")
  void schemaValue_encodesToGoldenBytes(String label, Schema schema, Object value, String hex) {
    assertThat(HEX.formatHex(TypedValueCodec.encode(schema, value))).isEqualTo(hex);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withSchema")
  void goldenBytes_decodeToSchemaValue(String label, Schema schema, Object value, String hex) {
    Object decoded = TypedValueCodec.decode(HEX.parseHex(hex), schema);
    assertThat(ConnectValues.deepEquals(value, decoded)).as(label).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaless")
  void schemalessValue_encodesToGoldenBytes(String label, Schema none, Object value, String hex) {
    assertThat(HEX.formatHex(TypedValueCodec.encode(null, value))).isEqualTo(hex);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaless")
  void goldenBytes_decodeToSchemalessValue(String label, Schema none, Object value, String hex) {
    Object decoded = TypedValueCodec.decode(HEX.parseHex(hex), null);
    assertThat(ConnectValues.deepEquals(value, decoded)).as(label).isTrue();
  }

  @Test
  void byteBuffer_encodesItsRemainingBytesLikeAnArray() {
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9}, 1, 3);
    assertThat(HEX.formatHex(TypedValueCodec.encode(Schema.BYTES_SCHEMA, buffer)))
        .isEqualTo("ff01" + "0903010203");
    assertThat(buffer.position()).isEqualTo(1);
  }

  @Test
  void schemalessStruct_encodesWithItsOwnSchemaAndDecodesToAMap() {
    Schema schema = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
    byte[] payload = TypedValueCodec.encode(null, new Struct(schema).put("id", 7));
    assertThat(HEX.formatHex(payload)).isEqualTo("ff01" + "0c01" + "026964" + "0400000007");
    assertThat(TypedValueCodec.decode(payload, null)).isEqualTo(Map.of("id", 7));
  }

  private static Arguments golden(String label, Schema schema, Object value, String hex) {
    return Arguments.of(label, schema, value, hex);
  }

  private static byte[] filled(int length, int b) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) b);
    return bytes;
  }
}
