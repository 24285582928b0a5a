package io.csfle.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

/**
 * Values that do not fit their schema, and payloads decoded with the wrong schema: each a {@link
 * CodecException} that names tags and Java types, never the value.
 */
class TypedValueCodecMismatchTest {
  private static final String SECRET = "top-secret-4111111111111111";

  @Test
  void int64PayloadWithStringSchema_namesExpectedAndFoundTags() {
    byte[] payload = TypedValueCodec.encode(Schema.INT64_SCHEMA, 4111111111111111L);
    assertThatThrownBy(() -> TypedValueCodec.decode(payload, Schema.STRING_SCHEMA))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("expected tag STRING (0x08)")
        .hasMessageContaining("found tag INT64 (0x05)")
        .hasMessageNotContaining("4111111111111111");
  }

  @Test
  void stringPayloadWithInt32Schema_neverQuotesTheValue() {
    byte[] payload = TypedValueCodec.encode(Schema.STRING_SCHEMA, SECRET);
    assertThatThrownBy(() -> TypedValueCodec.decode(payload, Schema.INT32_SCHEMA))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("expected tag INT32 (0x04)")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void timestampPayloadWithDateSchema_isRefused() {
    byte[] payload = TypedValueCodec.encode(Timestamp.SCHEMA, new java.util.Date(0));
    assertThatThrownBy(() -> TypedValueCodec.decode(payload, Date.SCHEMA))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("expected tag DATE (0x0E)")
        .hasMessageContaining("found tag TIMESTAMP (0x10)");
  }

  @Test
  void nullInRequiredPlace_isRefusedOnDecode() {
    Schema optional = SchemaBuilder.struct().field("a", Schema.OPTIONAL_INT32_SCHEMA).build();
    Schema required = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build();
    byte[] payload = TypedValueCodec.encode(optional, new Struct(optional));
    assertThatThrownBy(() -> TypedValueCodec.decode(payload, required))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("found tag NULL (0x00)");
  }

  @Test
  void nullRequiredFieldWithDefault_staysNull() {
    Schema schema =
        SchemaBuilder.struct().field("a", SchemaBuilder.int32().defaultValue(5).build()).build();
    Struct struct = new Struct(schema);
    byte[] payload = TypedValueCodec.encode(schema, struct);
    Struct decoded = (Struct) TypedValueCodec.decode(payload, schema);
    assertThat(decoded.getWithoutDefault("a")).isNull();
    assertThat(decoded).isEqualTo(struct);
  }

  @Test
  void structWithOtherFields_isRefusedOnDecode() {
    Schema ab =
        SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).field("b", Schema.INT32_SCHEMA);
    Schema ba =
        SchemaBuilder.struct().field("b", Schema.INT32_SCHEMA).field("a", Schema.INT32_SCHEMA);
    Schema a = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build();
    byte[] payload = TypedValueCodec.encode(ab, new Struct(ab).put("a", 1).put("b", 2));
    assertThatThrownBy(() -> TypedValueCodec.decode(payload, ba))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("field 0 of the payload is not named as in the schema");
    assertThatThrownBy(() -> TypedValueCodec.decode(payload, a))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("has 2 fields, its schema 1");
  }

  @Test
  void decimalOfOtherScale_isRefusedBothWays() {
    byte[] payload = TypedValueCodec.encode(Decimal.schema(2), new BigDecimal("1.25"));
    assertThatThrownBy(() -> TypedValueCodec.decode(payload, Decimal.schema(3)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("scale");
    assertThatThrownBy(() -> TypedValueCodec.encode(Decimal.schema(3), new BigDecimal("1.25")))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("scale")
        .hasMessageNotContaining("1.25");
  }

  @Test
  void wrongJavaTypeForSchema_isRefusedNamingTypes() {
    assertThatThrownBy(() -> TypedValueCodec.encode(Schema.INT32_SCHEMA, 7L))
        .isInstanceOf(CodecException.class)
        .hasMessage("a value for tag INT32 must be a java.lang.Integer, not a java.lang.Long");
    assertThatThrownBy(() -> TypedValueCodec.encode(Schema.BYTES_SCHEMA, SECRET))
        .isInstanceOf(CodecException.class)
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> TypedValueCodec.encode(Date.SCHEMA, 19_000))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("java.util.Date");
  }

  @Test
  void nullValue_isNeverEncoded() {
    assertThatThrownBy(() -> TypedValueCodec.encode(Schema.OPTIONAL_STRING_SCHEMA, null))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("passes through");
    assertThatThrownBy(() -> TypedValueCodec.encode(null, null)).isInstanceOf(CodecException.class);
  }

  @Test
  void unsetRequiredField_isRefusedOnEncode() {
    Schema schema = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build();
    assertThatThrownBy(() -> TypedValueCodec.encode(schema, new Struct(schema)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("required INT32 schema without a default got null");
  }

  @Test
  void nullElementOfRequiredArrayElements_isRefusedOnEncode() {
    Schema schema = SchemaBuilder.array(Schema.STRING_SCHEMA).build();
    List<Object> list = new ArrayList<>();
    list.add(null);
    assertThatThrownBy(() -> TypedValueCodec.encode(schema, list))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void structMissingASchemaField_isRefusedOnEncode() {
    Schema wide =
        SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).field("b", Schema.INT32_SCHEMA);
    Schema narrow = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build();
    assertThatThrownBy(() -> TypedValueCodec.encode(wide, new Struct(narrow).put("a", 1)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("lacks field 1");
  }

  @Test
  void unpairedSurrogates_areRefusedRatherThanReplaced() {
    for (String s : List.of("a\uD83D", "\uDE00b", "\uD83Dx\uDE00", "\uDE00\uD83D")) {
      assertThatThrownBy(() -> TypedValueCodec.encode(Schema.STRING_SCHEMA, s))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("unpaired surrogate");
    }
    assertThat(TypedValueCodec.decode(TypedValueCodec.encode(null, "\uD83D\uDE00"), null))
        .isEqualTo("\uD83D\uDE00");
  }

  @Test
  void dateNotAtMidnightOrOutOfRange_isRefused() {
    assertThatThrownBy(() -> TypedValueCodec.encode(Date.SCHEMA, new java.util.Date(1)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("midnight");
    java.util.Date far = new java.util.Date((Integer.MAX_VALUE + 1L) * 86_400_000L);
    assertThatThrownBy(() -> TypedValueCodec.encode(Date.SCHEMA, far))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("INT32 day count");
  }

  @Test
  void timeOutsideTheDay_isRefused() {
    for (long millis : new long[] {-1L, 86_400_001L}) {
      assertThatThrownBy(() -> TypedValueCodec.encode(Time.SCHEMA, new java.util.Date(millis)))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("time of day");
    }
  }

  @Test
  void javaTypesWithoutATag_areRefusedSchemaless() {
    for (Object value : List.of('c', BigInteger.ONE, UUID.randomUUID(), new Object())) {
      assertThatThrownBy(() -> TypedValueCodec.encode(null, value))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining(value.getClass().getName());
    }
    assertThatThrownBy(() -> TypedValueCodec.encode(null, Map.of("k", 'c')))
        .isInstanceOf(CodecException.class);
  }

  @Test
  void nestingDeeperThanTheLimit_isRefusedOnEncode() {
    assertThat(TypedValueCodec.encode(null, nestedLists(64))).isNotEmpty();
    assertThatThrownBy(() -> TypedValueCodec.encode(null, nestedLists(65)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("nested deeper than 64");
  }

  @Test
  void cyclicList_isRefusedNotOverflowing() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> TypedValueCodec.encode(null, cycle))
        .isInstanceOf(CodecException.class);
  }

  private static List<Object> nestedLists(int depth) {
    List<Object> list = new ArrayList<>();
    for (int i = 1; i < depth; i++) {
      List<Object> outer = new ArrayList<>();
      outer.add(list);
      list = outer;
    }
    return list;
  }
}
