package io.csfle.connect.field;

import org.apache.kafka.connect.data.Schema;

/**
 * The per-record half of a rewrite: what {@link RecordRewriter#rewrite} does to each value a path
 * names. Passed with each call, so that a rewrite can carry the state of one record (its topic, the
 * key it resolved) while the rewriter and its cached plans are shared between threads.
 */
@FunctionalInterface
public interface ValueRewrite {

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
   * True once this rewrite has given up on its record: the rewriter then calls it no more and
   * returns the input schema and value unchanged, so that no value it left in place meets an output
   * schema that cannot hold it. Asked after every {@link #rewriteValue} call.
   */
  default boolean stopped() {
    return false;
  }
}
