package io.csfle.connect.field;

import java.util.Objects;
import java.util.function.BiFunction;
import org.apache.kafka.connect.data.Schema;

/**
 * Both halves of a rewrite in one object, for rewrites that need no per-record state (tests, and
 * functions such as {@code String::toUpperCase}): plan with it, then pass it to every {@link
 * RecordRewriter#rewrite} call. A rewrite that needs per-record state (a record's DEK) implements
 * {@link SchemaRewrite} once and hands a fresh {@link ValueRewrite} to each call instead.
 */
public interface FieldRewrite extends SchemaRewrite, ValueRewrite {

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
