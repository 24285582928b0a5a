package io.csfle.connect.field;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies one plan to every element of an array ({@code tags[*]}, {@code items[*].sku}). Null
 * elements are left alone; the List is copied (as an ArrayList, same order) only on the first
 * element that changes, so untouched lists and elements are shared, and the input never mutated.
 */
final class ArrayPlan implements ValuePlan {
  private final PathTree.Node node;
  private final ValuePlan elementPlan;
  private final Object staleDefault;

  /**
   * Plans the array at {@code node}.
   *
   * @param staleDefault the input schema's default value when the output schema differs (and so has
   *     no default), else null; see {@link #apply}
   */
  ArrayPlan(PathTree.Node node, ValuePlan elementPlan, Object staleDefault) {
    this.node = node;
    this.elementPlan = elementPlan;
    this.staleDefault = staleDefault;
  }

  @Override
  public Object apply(Object value, ValueRewrite rewrite) {
    if (!(value instanceof List)) {
      throw node.wrongValue(value, "a List");
    }
    List<?> input = (List<?>) value;
    List<?> output = rewriteElements(input, elementPlan, rewrite);
    // An unset field reads as its schema's default. If that default comes back unchanged (empty,
    // or all nulls), a Struct copy would leave the field unset, and the rebuilt schema has no
    // default to fall back on: hand back a copy, so that it is set explicitly.
    if (output == input && input == staleDefault) {
      return new ArrayList<>(input);
    }
    return output;
  }

  /** Applies {@code plan} to each non-null element; returns {@code input} if none changed. */
  static List<?> rewriteElements(List<?> input, ValuePlan plan, ValueRewrite rewrite) {
    List<Object> output = null;
    int index = 0;
    // An iterator, not get(i): the list need not be random access.
    for (Object old : input) {
      if (old != null) {
        Object rewritten = plan.apply(old, rewrite);
        if (rewrite.stopped()) {
          return input;
        }
        if (rewritten != old) {
          if (output == null) {
            output = new ArrayList<>(input);
          }
          output.set(index, rewritten);
        }
      }
      index++;
    }
    return output == null ? input : output;
  }
}
