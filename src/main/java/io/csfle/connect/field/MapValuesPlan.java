package io.csfle.connect.field;

import java.util.Map;

/**
 * Applies one plan to every value of a map ({@code attrs[*]}, {@code attrs[*].email}); keys are
 * never touched. Null values are left alone; the Map is copied (in the same order, see {@link
 * OrderedArrayMap#orderedCopy}) only on the first value that changes, so the input is never
 * mutated.
 */
final class MapValuesPlan implements ValuePlan {
  private final PathTree.Node node;
  private final ValuePlan valuePlan;
  private final Object staleDefault;

  /**
   * Plans the map at {@code node}.
   *
   * @param staleDefault the input schema's default value when the output schema differs (and so has
   *     no default), else null; see {@link ArrayPlan#apply}
   */
  MapValuesPlan(PathTree.Node node, ValuePlan valuePlan, Object staleDefault) {
    this.node = node;
    this.valuePlan = valuePlan;
    this.staleDefault = staleDefault;
  }

  @Override
  public Object apply(Object value, ValueRewrite rewrite) {
    if (!(value instanceof Map)) {
      throw node.wrongValue(value, "a Map");
    }
    Map<?, ?> input = (Map<?, ?>) value;
    Map<?, ?> output = rewriteValues(input, valuePlan, rewrite);
    if (output == input && input == staleDefault) {
      return OrderedArrayMap.orderedCopy(input);
    }
    return output;
  }

  /** Applies {@code plan} to each non-null value; returns {@code input} if none changed. */
  static Map<?, ?> rewriteValues(Map<?, ?> input, ValuePlan plan, ValueRewrite rewrite) {
    Map<Object, Object> output = null;
    int index = -1;
    for (Map.Entry<?, ?> entry : input.entrySet()) {
      index++;
      Object old = entry.getValue();
      if (old == null) {
        continue;
      }
      Object rewritten = plan.apply(old, rewrite);
      if (rewrite.stopped()) {
        return input;
      }
      if (rewritten != old) {
        if (output == null) {
          output = OrderedArrayMap.orderedCopy(input);
        }
        if (output instanceof OrderedArrayMap<Object, Object> copy) {
          // The copy kept the input's order: the entry is at the same index, no scan needed.
          copy.setValueAt(index, entry.getKey(), rewritten);
        } else {
          output.put(entry.getKey(), rewritten);
        }
      }
    }
    return output == null ? input : output;
  }
}
