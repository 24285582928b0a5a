package io.csfle.connect.codec;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The one-byte type tags of typed plaintext format v1. A tag's number and body layout never change
 * and a retired number is never reused: ciphertexts written years ago must still decode. New tags
 * take the next free number (0x11 and up); old readers reject them as unknown, never misread them.
 */
enum Tag {
  NULL(0x00),
  BOOLEAN(0x01),
  INT8(0x02),
  INT16(0x03),
  INT32(0x04),
  INT64(0x05),
  FLOAT32(0x06),
  FLOAT64(0x07),
  STRING(0x08),
  BYTES(0x09),
  ARRAY(0x0A),
  MAP(0x0B),
  STRUCT(0x0C),
  DECIMAL(0x0D),
  DATE(0x0E),
  TIME(0x0F),
  TIMESTAMP(0x10);

  private static final Tag[] BY_CODE = new Tag[256];

  static {
    for (Tag tag : values()) {
      BY_CODE[tag.code] = tag;
    }
  }

  final int code;

  Tag(int code) {
    this.code = code;
  }

  /** The tag with this code, or {@code null} if no tag has it. */
  static Tag of(int code) {
    return BY_CODE[code & 0xFF];
  }

  /**
   * The tag a value of this schema is written with. Connect's four logical types get their own tags
   * when the logical name sits on the type Connect defines it for; any other named schema
   * (Debezium's semantic types, for example) is written as its plain type, because its Java value
   * is that of the plain type.
   */
  static Tag forSchema(Schema schema) {
    String name = schema.name();
    Schema.Type type = schema.type();
    if (name != null) {
      if (type == Schema.Type.BYTES && Decimal.LOGICAL_NAME.equals(name)) {
        return DECIMAL;
      }
      if (type == Schema.Type.INT32 && Date.LOGICAL_NAME.equals(name)) {
        return DATE;
      }
      if (type == Schema.Type.INT32 && Time.LOGICAL_NAME.equals(name)) {
        return TIME;
      }
      if (type == Schema.Type.INT64 && Timestamp.LOGICAL_NAME.equals(name)) {
        return TIMESTAMP;
      }
    }
    switch (type) {
      case BOOLEAN:
        return BOOLEAN;
      case INT8:
        return INT8;
      case INT16:
        return INT16;
      case INT32:
        return INT32;
      case INT64:
        return INT64;
      case FLOAT32:
        return FLOAT32;
      case FLOAT64:
        return FLOAT64;
      case STRING:
        return STRING;
      case BYTES:
        return BYTES;
      case ARRAY:
        return ARRAY;
      case MAP:
        return MAP;
      case STRUCT:
        return STRUCT;
      default:
        throw new CodecException("schema type " + type + " has no tag");
    }
  }

  /** For messages: name and code, e.g. {@code INT64 (0x05)}. */
  String describe() {
    return String.format("%s (0x%02X)", name(), code);
  }
}
