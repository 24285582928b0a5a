package io.csfle.connect.field;

import java.util.Map;

/**
 * Rewrites the values of some keys of a Map: a schema'd Map, whose schema never changes (one entry
 * cannot change the type of all values), or any level of a schemaless record.
 */
final class MapPlan implements ValuePlan {
  private final PathTree.Node node;
  private final String[] keys;
  private final ValuePlan[] plans;

  MapPlan(PathTree.Node node, String[] keys, ValuePlan[] plans) {
    this.node = node;
    this.keys = keys;
    this.plans = plans;
  }

  @Override
  public Object apply(Object value, ValueRewrite rewrite) {
    if (!(value instanceof Map)) {
      throw new FieldPathException(
          node.firstPath(),
          "Field path '"
              + node.firstPath()
              + "' goes through '"
              + node.prefixText()
              + "', which holds a "
              + value.getClass().getName()
              + ", not a Map");
    }
    return rewriteKeys((Map<?, ?>) value, keys, plans, rewrite);
  }

  /**
   * Applies {@code plans[i]} to the value of {@code keys[i]}, leaving absent keys and null values
   * alone. Copies the map (preserving order, see {@link OrderedArrayMap#orderedCopy}) only on the
   * first change.
   */
  static Map<?, ?> rewriteKeys(
      Map<?, ?> input, String[] keys, ValuePlan[] plans, ValueRewrite rewrite) {
    Map<Object, Object> output = null;
    for (int i = 0; i < keys.length; i++) {
      Object old = input.get(keys[i]);
      if (old == null) {
        continue;
      }
      Object rewritten = plans[i].apply(old, rewrite);
      if (rewrite.stopped()) {
        return input;
      }
      if (rewritten != old) {
        if (output == null) {
          output = OrderedArrayMap.orderedCopy(input);
        }
        output.put(keys[i], rewritten);
      }
    }
    return output == null ? input : output;
  }
}
