package io.csfle.connect.reencrypt;

import java.util.function.LongSupplier;

/**
 * A per-task bound on records per second, in one-second windows: {@link #allowance()} says how many
 * more records this window admits, {@link #millisToNextWindow()} how long to wait when none.
 */
final class RateLimit {
  private final long perSecond;
  private final LongSupplier clock;
  private long windowStart;
  private long used;

  /**
   * @param perSecond 0 for no limit
   */
  RateLimit(long perSecond, LongSupplier clock) {
    this.perSecond = perSecond;
    this.clock = clock;
    this.windowStart = clock.getAsLong();
  }

  long allowance() {
    if (perSecond == 0) {
      return Long.MAX_VALUE;
    }
    long now = clock.getAsLong();
    if (now - windowStart >= 1000) {
      windowStart = now;
      used = 0;
    }
    return Math.max(0, perSecond - used);
  }

  void used(long records) {
    used += records;
  }

  long millisToNextWindow() {
    return Math.max(0, windowStart + 1000 - clock.getAsLong());
  }
}
