package io.csfle.connect.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Reads one tagged value (format v1) from a {@link ByteSource}. With a schema, each tag must be the
 * one the schema is written with, and the result is the Connect Java value for the schema; without
 * one, the result is the natural Java type of the tag. Containers are counted against {@link
 * TypedValueCodec#MAX_DEPTH}, so hostile nesting cannot overflow the stack.
 */
final class TypedReader {
  private final ByteSource in;
  private int depth;

  TypedReader(ByteSource in) {
    this.in = in;
  }

  Object readTopLevel(Schema schema) {
    Tag tag = readTag();
    if (tag == Tag.NULL) {
      throw new CodecException("a typed payload never holds a bare NULL; null is not encrypted");
    }
    return schema == null ? readSchemaless(tag) : readWithSchema(tag, schema);
  }

  private Object read(Schema schema) {
    Tag tag = readTag();
    return schema == null ? readSchemaless(tag) : readWithSchema(tag, schema);
  }

  private Tag readTag() {
    int code = in.readByte();
    Tag tag = Tag.of(code);
    if (tag == null) {
      throw in.malformed(String.format("unknown tag 0x%02X", code));
    }
    return tag;
  }

  private Object readWithSchema(Tag tag, Schema schema) {
    if (tag == Tag.NULL && Schemas.acceptsNull(schema)) {
      return null;
    }
    Tag expected = Tag.forSchema(schema);
    if (tag != expected) {
      throw new CodecException(
          "expected tag "
              + expected.describe()
              + " for a "
              + Schemas.describe(schema)
              + " schema, found tag "
              + tag.describe());
    }
    switch (tag) {
      case ARRAY:
        return readArray(schema.valueSchema());
      case MAP:
        return readMap(schema.keySchema(), schema.valueSchema());
      case STRUCT:
        return readStruct(schema);
      case DECIMAL:
        return readDecimal(Schemas.decimalScale(schema));
      default:
        return readScalar(tag);
    }
  }

  private Object readSchemaless(Tag tag) {
    switch (tag) {
      case NULL:
        return null;
      case ARRAY:
        return readArray(null);
      case MAP:
        return readMap(null, null);
      case STRUCT:
        return readStructAsMap();
      case DECIMAL:
        return readDecimal(null);
      default:
        return readScalar(tag);
    }
  }

  private Object readScalar(Tag tag) {
    switch (tag) {
      case BOOLEAN:
        return readBoolean();
      case INT8:
        return (byte) in.readByte();
      case INT16:
        return in.readShort();
      case INT32:
        return in.readInt();
      case INT64:
        return in.readLong();
      case FLOAT32:
        return Float.intBitsToFloat(in.readInt());
      case FLOAT64:
        return Double.longBitsToDouble(in.readLong());
      case STRING:
        return in.readUtf8();
      case BYTES:
        return in.readLengthPrefixed();
      case DATE:
        return new java.util.Date(in.readInt() * Schemas.MILLIS_PER_DAY);
      case TIME:
        return readTime();
      case TIMESTAMP:
        return new java.util.Date(in.readLong());
      default:
        throw new CodecException("tag " + tag.describe() + " is not a scalar");
    }
  }

  private Boolean readBoolean() {
    int b = in.readByte();
    if (b > 1) {
      throw in.malformed("a BOOLEAN body is neither 0 nor 1");
    }
    return b == 1;
  }

  private java.util.Date readTime() {
    int millis = in.readInt();
    if (!Schemas.isTimeOfDay(millis)) {
      throw in.malformed("a TIME body is not a time of day");
    }
    return new java.util.Date(millis);
  }

  private BigDecimal readDecimal(Integer schemaScale) {
    int scale = Schemas.unzigzag(in.readVarint());
    byte[] unscaled = in.readLengthPrefixed();
    int length = unscaled.length;
    if (length == 0) {
      throw in.malformed("a DECIMAL has an empty unscaled value");
    }
    // BigInteger.toByteArray is minimal; refusing padded forms keeps one encoding per value.
    if (length > 1
        && ((unscaled[0] == 0 && unscaled[1] >= 0) || (unscaled[0] == -1 && unscaled[1] < 0))) {
      throw in.malformed("a DECIMAL unscaled value is not in its shortest form");
    }
    if (schemaScale != null && schemaScale != scale) {
      throw new CodecException("a DECIMAL's scale differs from its Decimal schema's scale");
    }
    return new BigDecimal(new BigInteger(unscaled), scale);
  }

  private List<Object> readArray(Schema elementSchema) {
    enter();
    int count = in.readCount(1);
    List<Object> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(read(elementSchema));
    }
    depth--;
    return list;
  }

  private Map<Object, Object> readMap(Schema keySchema, Schema valueSchema) {
    enter();
    int count = in.readCount(2);
    Map<Object, Object> map = new LinkedHashMap<>(capacity(count));
    KeyHashes hashes = count > KeyHashes.MAX_PER_HASH ? new KeyHashes() : null;
    for (int i = 0; i < count; i++) {
      Object key = read(keySchema);
      if (hashes != null && !hashes.admit(key)) {
        throw in.malformed(
            "a MAP has more than "
                + KeyHashes.MAX_PER_HASH
                + " keys with one hash code that a hash map cannot order");
      }
      map.put(key, read(valueSchema));
      if (map.size() != i + 1) {
        throw in.malformed("a MAP repeats a key");
      }
    }
    depth--;
    return map;
  }

  private Struct readStruct(Schema schema) {
    enter();
    int count = in.readCount(2);
    List<Field> fields = schema.fields();
    if (count != fields.size()) {
      throw new CodecException(
          "the payload's STRUCT has " + count + " fields, its schema " + fields.size());
    }
    Struct struct = new Struct(schema);
    for (Field field : fields) {
      if (!in.readUtf8Equals(field.name())) {
        throw new CodecException(
            "STRUCT field " + field.index() + " of the payload is not named as in the schema");
      }
      Object value = read(field.schema());
      if (value != null) {
        put(struct, field, value);
      }
    }
    depth--;
    return struct;
  }

  /** A STRUCT without a schema: field name to value, in the payload's order. */
  private Map<String, Object> readStructAsMap() {
    enter();
    int count = in.readCount(2);
    Map<String, Object> map = new LinkedHashMap<>(capacity(count));
    for (int i = 0; i < count; i++) {
      String name = in.readUtf8();
      map.put(name, read(null));
      if (map.size() != i + 1) {
        throw in.malformed("a STRUCT repeats a field name");
      }
    }
    depth--;
    return map;
  }

  private static void put(Struct struct, Field field, Object value) {
    try {
      struct.put(field, value);
    } catch (RuntimeException e) { // Connect's DataException; its message may quote the value
      throw new CodecException(
          "a decoded value does not fit the schema of STRUCT field " + field.index());
    }
  }

  private void enter() {
    if (++depth > TypedValueCodec.MAX_DEPTH) {
      throw in.malformed(
          "containers are nested deeper than " + TypedValueCodec.MAX_DEPTH + " levels");
    }
  }

  private static int capacity(int count) {
    return (int) Math.min(1 << 30, count * 4L / 3 + 1);
  }
}
