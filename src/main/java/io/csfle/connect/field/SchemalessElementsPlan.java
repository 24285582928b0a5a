package io.csfle.connect.field;

import java.util.List;
import java.util.Map;

/**
 * {@code [*]} in a schemaless record: every element of a {@code java.util.List} or every value of a
 * {@code java.util.Map}, whichever the record holds there; anything else is an error, since the
 * path promised a container.
 */
final class SchemalessElementsPlan implements ValuePlan {
  private final PathTree.Node node;
  private final ValuePlan elementPlan;

  SchemalessElementsPlan(PathTree.Node node, ValuePlan elementPlan) {
    this.node = node;
    this.elementPlan = elementPlan;
  }

  @Override
  public Object apply(Object value, ValueRewrite rewrite) {
    if (value instanceof List) {
      return ArrayPlan.rewriteElements((List<?>) value, elementPlan, rewrite);
    }
    if (value instanceof Map) {
      return MapValuesPlan.rewriteValues((Map<?, ?>) value, elementPlan, rewrite);
    }
    throw node.wrongValue(value, "a List or Map");
  }
}
