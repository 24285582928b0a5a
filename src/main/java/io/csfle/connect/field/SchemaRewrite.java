package io.csfle.connect.field;

import org.apache.kafka.connect.data.Schema;

/**
 * The schema half of a rewrite: what a {@link RecordRewriter} does to the schema of each field a
 * path names. Called while a schema is planned, once per (input schema, path), and the result
 * cached; it must therefore depend on the schema alone, never on a record, and be thread-safe if
 * the rewriter is shared.
 */
@FunctionalInterface
public interface SchemaRewrite {

  /** Keeps every field schema: for rewrites that keep the type, e.g. upper-casing a string. */
  SchemaRewrite UNCHANGED = (path, fieldSchema) -> fieldSchema;

  /**
   * The schema the field will have after rewriting. Returning the same or an equal schema means
   * "unchanged", and then the input schema is reused. The returned schema is used as is, default
   * value included: the rewriter never computes a default itself (see {@link RecordRewriter} on
   * defaults). A field that was optional must stay optional.
   *
   * @param path the configured path that names the field
   * @param fieldSchema the field's schema in the input record; for a path ending in {@code [*]} the
   *     element schema of the ARRAY or the value schema of the MAP, which the rewriter then
   *     rebuilds around the returned schema
   * @return the field's schema in the output record, never null
   * @throws RuntimeException any exception, to reject a type; it propagates to the caller
   */
  Schema rewriteSchema(FieldPath path, Schema fieldSchema);
}
