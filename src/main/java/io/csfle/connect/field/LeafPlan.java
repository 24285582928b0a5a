package io.csfle.connect.field;

import org.apache.kafka.connect.data.Schema;

/** Hands the value a path ends at to the record's {@link ValueRewrite}. */
final class LeafPlan implements ValuePlan {
  private final FieldPath path;
  private final Schema inputSchema;

  LeafPlan(FieldPath path, Schema inputSchema) {
    this.path = path;
    this.inputSchema = inputSchema;
  }

  @Override
  public Object apply(Object value, ValueRewrite rewrite) {
    return rewrite.rewriteValue(path, inputSchema, value);
  }
}
