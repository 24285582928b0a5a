package io.csfle.connect.field;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Copies one field of a Struct into a new Struct of an equal field schema without {@link
 * Struct#put(Field, Object)}. A put validates the value against the field schema and, in Connect
 * 4.x, builds an error-location string even when the value is valid: for a record of ten fields
 * that is most of an SMT's cost besides the cipher. A value that is already held by a Struct was
 * validated when it was put, against a field schema equal to the target's, so copying the reference
 * (or the unset slot) is what a successful put would store. When the Struct internals are not
 * reachable (a future Connect that renames them), every copy falls back to a validated put.
 */
final class StructValues {
  private static final VarHandle VALUES = findValues();

  private StructValues() {}

  /** True when copies skip validation; false when they fall back to {@link Struct#put}. */
  static boolean direct() {
    return VALUES != null;
  }

  /**
   * Copies {@code inputField} of {@code input} to {@code outputField} of {@code output}; both
   * fields have equal schemas. An unset value stays unset.
   */
  static void copy(Struct input, Field inputField, Struct output, Field outputField) {
    if (VALUES != null) {
      ((Object[]) VALUES.get(output))[outputField.index()] =
          ((Object[]) VALUES.get(input))[inputField.index()];
      return;
    }
    // Struct#get substitutes the default; putting that back would fail for a Struct default
    // (built on a SchemaBuilder) and for a required field a source left null.
    Object value = input.get(inputField);
    if (value != null && value != inputField.schema().defaultValue()) {
      output.put(outputField, value);
    }
  }

  /**
   * Copies every value of {@code input} into {@code output} (a Struct of as many fields, each of
   * the same schema at the same position except those in {@code left}), then empties the fields in
   * {@code left} of {@code output}, so that none of their input values is ever held by the output:
   * one array copy instead of a copy per field. Returns false, copying nothing, when the Struct
   * internals are not reachable or the field counts differ; the caller then copies field by field.
   */
  static boolean copyAllBut(Struct input, Struct output, Field[] left) {
    if (VALUES == null) {
      return false;
    }
    Object[] from = (Object[]) VALUES.get(input);
    Object[] to = (Object[]) VALUES.get(output);
    if (from.length != to.length) {
      return false;
    }
    System.arraycopy(from, 0, to, 0, from.length);
    for (Field field : left) {
      to[field.index()] = null;
    }
    return true;
  }

  /**
   * Stores {@code value} in {@code field} of {@code output} without {@link Struct#put} when it is
   * one a put would accept without looking further: a String in a STRING field or a byte[] in a
   * BYTES field, neither of a logical type. Every field value an encryption writes, and every
   * decrypted Confluent-native value, is of that kind. Returns false, storing nothing, for any
   * other value, which the caller then puts (validated).
   */
  static boolean putPlain(Struct output, Field field, Object value) {
    if (VALUES == null || field.schema().name() != null) {
      return false;
    }
    Schema.Type type = field.schema().type();
    boolean plain =
        (type == Schema.Type.STRING && value instanceof String)
            || (type == Schema.Type.BYTES && value instanceof byte[]);
    if (plain) {
      ((Object[]) VALUES.get(output))[field.index()] = value;
    }
    return plain;
  }

  private static VarHandle findValues() {
    try {
      return MethodHandles.privateLookupIn(Struct.class, MethodHandles.lookup())
          .findVarHandle(Struct.class, "values", Object[].class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // same results through validated puts, only slower
    }
  }
}
