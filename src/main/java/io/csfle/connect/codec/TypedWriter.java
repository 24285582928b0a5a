package io.csfle.connect.codec;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Writes one tagged value (format v1) into a {@link ByteSink}. With a schema, the schema chooses
 * the tag and the value must be the Java type Connect uses for it; without one, the Java type
 * chooses. Whatever this writer accepts, {@link TypedReader} reads back equal: a value that could
 * not be restored (a null where the schema forbids one, a Date that is not a whole day, a string
 * with no UTF-8 form) is refused here, before anything is encrypted.
 */
final class TypedWriter {
  private final ByteSink out;
  private int depth;

  TypedWriter(ByteSink out) {
    this.out = out;
  }

  void write(Schema schema, Object value) {
    if (schema == null) {
      writeSchemaless(value);
    } else if (value == null) {
      if (!Schemas.acceptsNull(schema)) {
        throw new CodecException(
            "a required " + Schemas.describe(schema) + " schema without a default got null");
      }
      out.writeByte(Tag.NULL.code);
    } else {
      writeWithSchema(schema, Tag.forSchema(schema), value);
    }
  }

  private void writeWithSchema(Schema schema, Tag tag, Object value) {
    switch (tag) {
      case BOOLEAN:
        writeBoolean(as(Boolean.class, value, tag));
        break;
      case INT8:
        writeInt8(as(Byte.class, value, tag));
        break;
      case INT16:
        writeInt16(as(Short.class, value, tag));
        break;
      case INT32:
        writeInt32(as(Integer.class, value, tag));
        break;
      case INT64:
        writeInt64(as(Long.class, value, tag));
        break;
      case FLOAT32:
        writeFloat32(as(Float.class, value, tag));
        break;
      case FLOAT64:
        writeFloat64(as(Double.class, value, tag));
        break;
      case STRING:
        writeString(as(String.class, value, tag));
        break;
      case BYTES:
        writeBytes(value, tag);
        break;
      case ARRAY:
        writeArray(schema.valueSchema(), as(List.class, value, tag));
        break;
      case MAP:
        writeMap(schema.keySchema(), schema.valueSchema(), as(Map.class, value, tag));
        break;
      case STRUCT:
        writeStruct(schema, as(Struct.class, value, tag));
        break;
      case DECIMAL:
        writeDecimal(schema, as(BigDecimal.class, value, tag));
        break;
      case DATE:
        writeDate(as(java.util.Date.class, value, tag));
        break;
      case TIME:
        writeTime(as(java.util.Date.class, value, tag));
        break;
      case TIMESTAMP:
        writeTimestamp(as(java.util.Date.class, value, tag));
        break;
      default:
        throw new CodecException("no value is written with tag " + tag.describe());
    }
  }

  /** Schemaless: the Java type decides. Most frequent types (those JSON yields) first. */
  private void writeSchemaless(Object value) {
    if (value == null) {
      out.writeByte(Tag.NULL.code);
    } else if (value instanceof String) {
      writeString((String) value);
    } else if (value instanceof Long) {
      writeInt64((Long) value);
    } else if (value instanceof Integer) {
      writeInt32((Integer) value);
    } else if (value instanceof Double) {
      writeFloat64((Double) value);
    } else if (value instanceof Boolean) {
      writeBoolean((Boolean) value);
    } else if (value instanceof Map) {
      writeMap(null, null, (Map<?, ?>) value);
    } else if (value instanceof List) {
      writeArray(null, (List<?>) value);
    } else if (value instanceof Float) {
      writeFloat32((Float) value);
    } else if (value instanceof Short) {
      writeInt16((Short) value);
    } else if (value instanceof Byte) {
      writeInt8((Byte) value);
    } else if (value instanceof byte[] || value instanceof ByteBuffer) {
      writeBytes(value, Tag.BYTES);
    } else if (value instanceof BigDecimal) {
      writeDecimal(null, (BigDecimal) value);
    } else if (value instanceof java.util.Date) {
      writeTimestamp((java.util.Date) value);
    } else if (value instanceof Struct) {
      Struct struct = (Struct) value;
      writeStruct(struct.schema(), struct);
    } else {
      throw new CodecException(
          "a value of Java type " + value.getClass().getName() + " has no tag without a schema");
    }
  }

  private void writeBoolean(boolean v) {
    out.writeByte(Tag.BOOLEAN.code);
    out.writeByte(v ? 1 : 0);
  }

  private void writeInt8(byte v) {
    out.writeByte(Tag.INT8.code);
    out.writeByte(v);
  }

  private void writeInt16(short v) {
    out.writeByte(Tag.INT16.code);
    out.writeShort(v);
  }

  private void writeInt32(int v) {
    out.writeByte(Tag.INT32.code);
    out.writeInt(v);
  }

  private void writeInt64(long v) {
    out.writeByte(Tag.INT64.code);
    out.writeLong(v);
  }

  private void writeFloat32(float v) {
    out.writeByte(Tag.FLOAT32.code);
    out.writeInt(Float.floatToRawIntBits(v)); // raw: NaN payloads and -0.0 survive
  }

  private void writeFloat64(double v) {
    out.writeByte(Tag.FLOAT64.code);
    out.writeLong(Double.doubleToRawLongBits(v));
  }

  private void writeString(String v) {
    out.writeByte(Tag.STRING.code);
    out.writeUtf8(v);
  }

  private void writeBytes(Object value, Tag tag) {
    if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      out.writeByte(Tag.BYTES.code);
      out.writeVarint(bytes.length);
      out.writeBytes(bytes, 0, bytes.length);
    } else if (value instanceof ByteBuffer) {
      out.writeByte(Tag.BYTES.code);
      out.writeLengthPrefixed((ByteBuffer) value);
    } else {
      throw wrongJavaType(tag, "byte[] or java.nio.ByteBuffer", value);
    }
  }

  private void writeArray(Schema elementSchema, List<?> list) {
    enter();
    out.writeByte(Tag.ARRAY.code);
    out.writeVarint(list.size());
    for (Object element : list) {
      write(elementSchema, element);
    }
    depth--;
  }

  private void writeMap(Schema keySchema, Schema valueSchema, Map<?, ?> map) {
    enter();
    out.writeByte(Tag.MAP.code);
    out.writeVarint(map.size());
    int written = 0;
    KeyHashes hashes = map.size() > KeyHashes.MAX_PER_HASH ? new KeyHashes() : null;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (hashes != null && !hashes.admit(entry.getKey())) {
        // Readers refuse such a map (see KeyHashes), so it is never written.
        throw new CodecException(
            "a map has more than "
                + KeyHashes.MAX_PER_HASH
                + " keys with one hash code that a hash map cannot order");
      }
      write(keySchema, entry.getKey());
      write(valueSchema, entry.getValue());
      written++;
    }
    if (written != map.size()) {
      throw new CodecException("a map changed size while it was being encoded");
    }
    depth--;
  }

  /** Fields in schema order; raw field values, so a null field stays null, not its default. */
  private void writeStruct(Schema schema, Struct struct) {
    enter();
    List<Field> fields = schema.fields();
    boolean sameSchema = struct.schema() == schema;
    out.writeByte(Tag.STRUCT.code);
    out.writeVarint(fields.size());
    for (Field field : fields) {
      String name = field.name();
      if (!sameSchema && struct.schema().field(name) == null) {
        throw new CodecException(
            "the Struct value lacks field " + field.index() + " of its STRUCT schema");
      }
      out.writeUtf8(name);
      write(field.schema(), struct.getWithoutDefault(name));
    }
    depth--;
  }

  private void writeDecimal(Schema schema, BigDecimal v) {
    if (schema != null) {
      Integer scale = Schemas.decimalScale(schema);
      if (scale != null && scale != v.scale()) {
        throw new CodecException("a Decimal value's scale differs from its schema's scale");
      }
    }
    byte[] unscaled = v.unscaledValue().toByteArray();
    out.writeByte(Tag.DECIMAL.code);
    out.writeVarint(Schemas.zigzag(v.scale()));
    out.writeVarint(unscaled.length);
    out.writeBytes(unscaled, 0, unscaled.length);
  }

  private void writeDate(java.util.Date v) {
    long millis = v.getTime();
    if (Math.floorMod(millis, Schemas.MILLIS_PER_DAY) != 0) {
      throw new CodecException("a Date value is not midnight UTC");
    }
    long days = Math.floorDiv(millis, Schemas.MILLIS_PER_DAY);
    if (days != (int) days) {
      throw new CodecException("a Date value is too far from 1970 for an INT32 day count");
    }
    out.writeByte(Tag.DATE.code);
    out.writeInt((int) days);
  }

  private void writeTime(java.util.Date v) {
    long millis = v.getTime();
    if (!Schemas.isTimeOfDay(millis)) {
      throw new CodecException("a Time value is not a time of day on 1970-01-01 UTC");
    }
    out.writeByte(Tag.TIME.code);
    out.writeInt((int) millis);
  }

  private void writeTimestamp(java.util.Date v) {
    out.writeByte(Tag.TIMESTAMP.code);
    out.writeLong(v.getTime());
  }

  private void enter() {
    if (++depth > TypedValueCodec.MAX_DEPTH) {
      throw new CodecException(
          "containers are nested deeper than " + TypedValueCodec.MAX_DEPTH + " levels");
    }
  }

  private static <T> T as(Class<T> type, Object value, Tag tag) {
    if (type.isInstance(value)) {
      return type.cast(value);
    }
    throw wrongJavaType(tag, type.getName(), value);
  }

  private static CodecException wrongJavaType(Tag tag, String expected, Object value) {
    return new CodecException(
        "a value for tag "
            + tag.name()
            + " must be a "
            + expected
            + ", not a "
            + value.getClass().getName());
  }
}
