package io.csfle.connect.codec;

import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;

/** Small schema and number rules shared by the writer and the reader, so both apply the same. */
final class Schemas {
  static final long MILLIS_PER_DAY = 86_400_000L;

  private Schemas() {}

  /**
   * A null may stand where the schema is optional, or where it has a default: Connect's {@code
   * Struct.validate} accepts a null required field that has a default, and the codec keeps that
   * null rather than replacing it with the default.
   */
  static boolean acceptsNull(Schema schema) {
    return schema.isOptional() || schema.defaultValue() != null;
  }

  /** The {@code scale} parameter of a Decimal schema, or null if it is missing or not a number. */
  static Integer decimalScale(Schema schema) {
    Map<String, String> parameters = schema.parameters();
    String scale = parameters == null ? null : parameters.get(Decimal.SCALE_FIELD);
    if (scale == null) {
      return null;
    }
    try {
      return Integer.valueOf(scale.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Connect's {@code Time.fromLogical} accepts 0 to 86,400,000 inclusive (24:00 included), so the
   * codec carries exactly that range.
   */
  static boolean isTimeOfDay(long millis) {
    return millis >= 0 && millis <= MILLIS_PER_DAY;
  }

  static int zigzag(int n) {
    return (n << 1) ^ (n >> 31);
  }

  static int unzigzag(int n) {
    return (n >>> 1) ^ -(n & 1);
  }

  /** For messages: the type, and the name if the schema has one (names are not values). */
  static String describe(Schema schema) {
    return schema.name() == null ? schema.type().name() : schema.type() + " " + schema.name();
  }
}
