package io.csfle.connect.kms;

import java.util.function.Predicate;

/**
 * Questions about an exception and its causes. SDKs wrap what happened (a timeout, a parse error,
 * an oversized answer) in layers of their own exceptions, so the KMS error mappers classify by what
 * lies anywhere in the chain.
 */
public final class CauseChain {
  private static final int MAX_DEPTH = 32;

  private CauseChain() {}

  /** True when {@code e} or one of its causes satisfies {@code test}. */
  public static boolean anyMatch(Throwable e, Predicate<Throwable> test) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      if (test.test(t)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code e} or one of its causes is a {@code type}. */
  public static boolean has(Throwable e, Class<? extends Throwable> type) {
    return anyMatch(e, type::isInstance);
  }

  /** True when the class name of {@code e} or of one of its causes contains {@code part}. */
  public static boolean hasClassNamed(Throwable e, String part) {
    return anyMatch(e, t -> t.getClass().getName().contains(part));
  }
}
