package io.csfle.connect.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

/**
 * Bounds on what one hostile record may cost the thread that handles it: bytes allocated (so a
 * length that claims 2 GB is refused before anything is allocated for it) and wall time (generous:
 * it only tells a refusal from a hang or a quadratic blow-up).
 */
final class Budget {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Budget() {}

  static void within(String scenario, long maxBytes, long maxMillis, Runnable action) {
    long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    action.run();
    long millis = (System.nanoTime() - start) / 1_000_000;
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
    assertThat(allocated)
        .as("%s: bytes allocated (budget %d)", scenario, maxBytes)
        .isLessThanOrEqualTo(maxBytes);
    assertThat(millis)
        .as("%s: milliseconds (budget %d)", scenario, maxMillis)
        .isLessThan(maxMillis);
  }
}
