package io.csfle.connect.field;

/**
 * What to do, per record, with one non-null value of a known schema: the product of planning a
 * schema once, so that records only follow precomputed steps.
 */
interface ValuePlan {

  /**
   * Returns the rewritten value, or {@code value} itself when nothing changed. Never mutates {@code
   * value}. Plans hold no per-record state: {@code rewrite}, this record's value function, is
   * handed down to the leaves.
   */
  Object apply(Object value, ValueRewrite rewrite);
}
