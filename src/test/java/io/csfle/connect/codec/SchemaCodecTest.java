package io.csfle.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

class SchemaCodecTest {
  private static final Schema CUSTOMER =
      SchemaBuilder.struct()
          .name("com.example.Customer")
          .version(2)
          .doc("A customer")
          .field("id", Schema.INT64_SCHEMA)
          .field("email", SchemaBuilder.string().optional().parameter("pii", "true").build())
          .field(
              "balance", Decimal.builder(2).optional().defaultValue(new BigDecimal("0.00")).build())
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
          .field(
              "attrs",
              SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA).build())
          .build();

  /** The vocabulary is part of the format: schemas written by old releases must still read. */
  private static final String CUSTOMER_JSON =
      "{\"type\":\"struct\",\"name\":\"com.example.Customer\",\"version\":2,"
          + "\"doc\":\"A customer\",\"fields\":["
          + "{\"field\":\"id\",\"type\":\"int64\"},"
          + "{\"field\":\"email\",\"type\":\"string\",\"optional\":true,"
          + "\"parameters\":{\"pii\":\"true\"}},"
          + "{\"field\":\"balance\",\"type\":\"bytes\",\"optional\":true,"
          + "\"name\":\"org.apache.kafka.connect.data.Decimal\",\"version\":1,"
          + "\"parameters\":{\"scale\":\"2\"},\"default\":\"/wENBAEA\"},"
          + "{\"field\":\"tags\",\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
          + "{\"field\":\"attrs\",\"type\":\"map\",\"keys\":{\"type\":\"string\"},"
          + "\"values\":{\"type\":\"int32\",\"optional\":true}}]}";

  @Test
  void parameterName_isFixed() {
    assertThat(SchemaCodec.PARAMETER).isEqualTo("csfle.encrypted.schema");
  }

  @Test
  void customerSchema_writesGoldenJson() {
    assertThat(SchemaCodec.toJson(CUSTOMER)).isEqualTo(CUSTOMER_JSON);
  }

  @Test
  void goldenJson_readsBackEqual() {
    Schema schema = SchemaCodec.fromJson(CUSTOMER_JSON);
    assertThat(schema).isEqualTo(CUSTOMER);
    assertThat(schema.field("balance").schema().defaultValue()).isEqualTo(new BigDecimal("0.00"));
  }

  @Test
  void randomSchemas_roundTripEqualAndWriteStably() {
    TypedValueCodecRoundTripTest.forEachCase(
        (data, i) -> {
          Schema schema = data.schema(RandomConnectData.MAX_DEPTH, true);
          String json = SchemaCodec.toJson(schema);
          Schema read = SchemaCodec.fromJson(json);
          assertThat(read).isEqualTo(schema);
          assertThat(SchemaCodec.toJson(read)).isEqualTo(json);
        });
  }

  /**
   * SchemaBuilder refuses Struct defaults (it compares the Struct's schema with itself, a builder),
   * so such schemas only come from ConnectSchema's constructor. The default is read back as a
   * Struct of the schema without its default, the closest a Struct can get to its own schema.
   */
  @Test
  void structDefault_roundTrips() {
    Schema plain =
        SchemaBuilder.struct().optional().field("a", Schema.OPTIONAL_STRING_SCHEMA).build();
    Struct defaultValue = new Struct(plain).put("a", "x");
    Schema withDefault =
        new ConnectSchema(
            Schema.Type.STRUCT,
            true,
            defaultValue,
            null,
            null,
            null,
            null,
            plain.fields(),
            null,
            null);
    Schema read = SchemaCodec.fromJson(SchemaCodec.toJson(withDefault));
    assertThat(read).isEqualTo(withDefault);
    assertThat(((Struct) read.defaultValue()).schema()).isEqualTo(plain);
  }

  /**
   * Connect's Schema.equals compares defaults with Objects.deepEquals, so a byte[] nested in a List
   * or Map default is compared by identity and no such schema equals even a copy of itself; the
   * random schemas leave those out, and this test compares such a default by content.
   */
  @Test
  void bytesInsideContainerDefault_roundTripsByContent() {
    Schema schema =
        SchemaBuilder.array(Schema.BYTES_SCHEMA).defaultValue(List.of(new byte[] {7})).build();
    Schema read = SchemaCodec.fromJson(SchemaCodec.toJson(schema));
    List<Object> expected = new ArrayList<>(List.of(new byte[] {7}));
    assertThat(ConnectValues.deepEquals(expected, read.defaultValue())).isTrue();
    assertThat(SchemaCodec.toJson(read)).isEqualTo(SchemaCodec.toJson(schema));
  }

  @Test
  void logicalAndBytesDefaults_keepTheirJavaTypes() {
    Schema date = Date.builder().defaultValue(new java.util.Date(86_400_000L)).build();
    Schema bytes = SchemaBuilder.bytes().defaultValue(new byte[] {1, 2}).build();
    assertThat(SchemaCodec.fromJson(SchemaCodec.toJson(date)).defaultValue())
        .isEqualTo(new java.util.Date(86_400_000L));
    assertThat(SchemaCodec.fromJson(SchemaCodec.toJson(bytes))).isEqualTo(bytes);
  }

  @Test
  void parameters_keepTheirOrderAndEmptyDiffersFromAbsent() {
    Schema ordered = SchemaBuilder.string().parameter("z", "1").parameter("a", "2").build();
    // SchemaBuilder drops an empty parameter map, ConnectSchema's constructor keeps it.
    Schema empty =
        new ConnectSchema(
            Schema.Type.STRING, false, null, null, null, null, Map.of(), null, null, null);
    assertThat(SchemaCodec.fromJson(SchemaCodec.toJson(ordered)).parameters().keySet())
        .containsExactly("z", "a");
    assertThat(SchemaCodec.fromJson(SchemaCodec.toJson(empty)).parameters()).isEmpty();
    assertThat(SchemaCodec.fromJson(SchemaCodec.toJson(Schema.STRING_SCHEMA)).parameters())
        .isNull();
    Schema emptyDoc = SchemaBuilder.string().doc("").build();
    assertThat(SchemaCodec.fromJson(SchemaCodec.toJson(emptyDoc))).isEqualTo(emptyDoc);
  }

  @Test
  void schemaJson_survivesJsonConverterAsAParameter() {
    Schema encrypted =
        SchemaBuilder.string().optional().parameter(SchemaCodec.PARAMETER, CUSTOMER_JSON).build();
    JsonConverter converter = new JsonConverter();
    converter.configure(Map.of("schemas.enable", "true"), false);
    byte[] wire = converter.fromConnectData("t", encrypted, "ciphertext");
    SchemaAndValue back = converter.toConnectData("t", wire);
    String json = back.schema().parameters().get(SchemaCodec.PARAMETER);
    assertThat(SchemaCodec.fromJson(json)).isEqualTo(CUSTOMER);
  }

  @Test
  void structWithoutFieldList_readsBackAsTheEmptyStructItEquals() {
    // ConnectSchema itself turns a null field list into an empty one.
    Schema noFields =
        new ConnectSchema(
            Schema.Type.STRUCT, false, null, null, null, null, null, null, null, null);
    assertThat(SchemaCodec.fromJson(SchemaCodec.toJson(noFields))).isEqualTo(noFields);
  }

  @Test
  void schemasThatCannotBeWritten_areRefused() {
    Schema noItems =
        new ConnectSchema(Schema.Type.ARRAY, false, null, null, null, null, null, null, null, null);
    assertThatThrownBy(() -> SchemaCodec.toJson(noItems)).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> SchemaCodec.toJson(null)).isInstanceOf(CodecException.class);
  }

  @Test
  void defaultThatDoesNotFitItsSchema_isRefusedOnWrite() {
    Schema wrong =
        new ConnectSchema(
            Schema.Type.INT32, false, "secret", null, null, null, null, null, null, null);
    assertThatThrownBy(() -> SchemaCodec.toJson(wrong))
        .isInstanceOf(CodecException.class)
        .hasMessageNotContaining("secret");
  }

  @Test
  void malformedJson_isRefusedWithoutQuotingIt() {
    for (String json :
        List.of(
            "",
            "secret",
            "{\"type\":\"secret",
            "{\"type\":\"int32\"} {}",
            "[\"secret\"]",
            "{\"type\":\"int32\",\"type\":\"int64\"}")) {
      assertThatThrownBy(() -> SchemaCodec.fromJson(json))
          .as(json)
          .isInstanceOf(CodecException.class)
          .hasMessageNotContaining("secret");
    }
    assertThatThrownBy(() -> SchemaCodec.fromJson(null)).isInstanceOf(CodecException.class);
  }

  @Test
  void jsonThatIsNotASchema_isRefused() {
    for (String json :
        List.of(
            "{}",
            "{\"type\":\"int128\"}",
            "{\"type\":1}",
            "{\"type\":\"int32\",\"unknown\":true}",
            "{\"type\":\"int32\",\"field\":\"a\"}",
            "{\"type\":\"int32\",\"optional\":\"yes\"}",
            "{\"type\":\"int32\",\"version\":1.5}",
            "{\"type\":\"int32\",\"version\":4294967296}",
            "{\"type\":\"int32\",\"doc\":7}",
            "{\"type\":\"int32\",\"parameters\":{\"a\":1}}",
            "{\"type\":\"int32\",\"parameters\":[]}",
            "{\"type\":\"int32\",\"items\":{\"type\":\"int32\"}}",
            "{\"type\":\"int32\",\"default\":\"not base64!\"}",
            "{\"type\":\"int32\",\"default\":\"/wEIAA==\"}",
            "{\"type\":\"array\"}",
            "{\"type\":\"map\",\"keys\":{\"type\":\"string\"}}",
            "{\"type\":\"struct\"}",
            "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\"}]}",
            "{\"type\":\"struct\",\"fields\":[7]}",
            "{\"type\":\"struct\",\"fields\":[{\"field\":\"a\",\"type\":\"int32\"},"
                + "{\"field\":\"a\",\"type\":\"int32\"}]}")) {
      assertThatThrownBy(() -> SchemaCodec.fromJson(json))
          .as(json)
          .isInstanceOf(CodecException.class);
    }
  }

  @Test
  void fieldsAndParametersOfReadSchema_areImmutable() {
    Schema read = SchemaCodec.fromJson(CUSTOMER_JSON);
    List<Field> fields = read.fields();
    assertThatThrownBy(() -> fields.add(new Field("x", 9, Schema.INT8_SCHEMA)))
        .isInstanceOf(UnsupportedOperationException.class);
    Map<String, String> parameters = read.field("email").schema().parameters();
    assertThatThrownBy(() -> parameters.put("pii", "false"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
