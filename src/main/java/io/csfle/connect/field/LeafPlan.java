package io.csfle.connect.field;

import org.apache.kafka.connect.data.Schema;

/** Hands the value a path ends at to the {@link FieldRewrite}. */
final class LeafPlan implements ValuePlan {
  private final FieldRewrite rewrite;
  private final FieldPath path;
  private final Schema inputSchema;

  LeafPlan(FieldRewrite rewrite, FieldPath path, Schema inputSchema) {
    this.rewrite = rewrite;
    this.path = path;
    this.inputSchema = inputSchema;
  }

  @Override
  public Object apply(Object value) {
    return rewrite.rewriteValue(path, inputSchema, value);
  }
}
