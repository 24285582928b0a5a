package io.csfle.connect.field;

import java.util.Objects;
import java.util.function.BiFunction;
import org.apache.kafka.connect.data.Schema;

/**
 * The function a {@link RecordRewriter} applies to each field a path names, e.g. encryption or
 * decryption. Implementations must be thread-safe if the rewriter is shared between threads.
 */
public interface FieldRewrite {

  /**
   * For records with a schema: the schema the field will have after rewriting. Called once per
   * (input schema, path); the rewriter caches the result. Returning the same or an equal schema
   * means "unchanged", and then the input schema is reused. The returned schema is used as is,
   * default value included: the rewriter never computes a default itself (see {@link
   * RecordRewriter} on defaults). A field that was optional must stay optional.
   *
   * @param path the configured path that names the field
   * @param fieldSchema the field's schema in the input record; for a path ending in {@code [*]} the
   *     element schema of the ARRAY or the value schema of the MAP, which the rewriter then
   *     rebuilds around the returned schema
   * @return the field's schema in the output record, never null
   * @throws RuntimeException any exception, to reject a type; it propagates to the caller
   */
  Schema rewriteSchema(FieldPath path, Schema fieldSchema);

  /**
   * Rewrites one value. Never called with null: null values are left alone.
   *
   * @param path the configured path that names the field, e.g. {@code items[*].sku} for the {@code
   *     sku} of every element of {@code items}
   * @param fieldSchema the field's schema in the input record (the element or value schema for
   *     {@code [*]}), or null for schemaless records
   * @param value the field's value, never null
   * @return the new value; returning the same instance means "unchanged" and saves a copy
   * @throws RuntimeException any exception; it propagates unchanged to the caller
   */
  Object rewriteValue(FieldPath path, Schema fieldSchema, Object value);

  /**
   * A rewrite that keeps every schema and maps each value with {@code function}, for tests and for
   * rewrites that keep the type (e.g. {@code (path, v) -> ((String) v).toUpperCase()}).
   */
  static FieldRewrite ofValues(BiFunction<FieldPath, Object, Object> function) {
    Objects.requireNonNull(function, "function");
    return new FieldRewrite() {
      @Override
      public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
        return fieldSchema;
      }

      @Override
      public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
        return function.apply(path, value);
      }
    };
  }
}
