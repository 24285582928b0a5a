package io.csfle.connect.transforms;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The times records took in a transform: totals since start (for the summary line) and the average
 * and maximum over a window (for the {@code record-time-us-avg}/{@code -max} gauges).
 *
 * <p>Recording a time must cost the transform no lock, no clock read and no allocation, so the
 * window is kept by the readers of the gauges, not by the recorder: a record adds to a count, a sum
 * and two maxima (since start and in the window), all lock-free accumulators. A window starts when
 * the previous one closes; the first gauge read at least {@link #WINDOW_NANOS 30 s} after its start
 * closes it, snapshots the count and sum (the window's average is the difference from the previous
 * snapshot) and takes and resets the window maximum. The gauges report the last closed window, or,
 * before the first one closes, the open one. A window is thus at least 30 s long, and as long as
 * the gap between reads when the gauges are read less often. A window without records reports NaN
 * for both. A record that completes while a window closes may count toward either window, and its
 * time may count toward the average of one and the maximum of the other.
 *
 * <p>Readers may be concurrent: they close windows under this object's lock, which the recorder
 * never takes.
 */
final class RecordTimes {
  /** The shortest window the gauges report on. */
  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(30);

  private static final double NANOS_PER_MICRO = 1_000.0;

  private final LongAdder count = new LongAdder();
  private final LongAdder sumNanos = new LongAdder();
  private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0L);
  private final LongAccumulator windowMaxNanos = new LongAccumulator(Math::max, 0L);
  private final LongSupplier clock;

  // Reader side, guarded by this.
  private long windowStart;
  private long countAtWindowStart;
  private long sumAtWindowStart;
  private Window closed;

  /** Times kept with windows measured by {@code clock}, in nanoseconds like System.nanoTime(). */
  RecordTimes(LongSupplier clock) {
    this.clock = clock;
    this.windowStart = clock.getAsLong();
  }

  /** A record took {@code nanos}. */
  void record(long nanos) {
    count.increment();
    sumNanos.add(nanos);
    maxNanos.accumulate(nanos);
    windowMaxNanos.accumulate(nanos);
  }

  /** Mean time per record since start, in microseconds (0 before the first). */
  double averageMicros() {
    long records = count.sum();
    return records == 0 ? 0.0 : sumNanos.sum() / NANOS_PER_MICRO / records;
  }

  /** Longest time of one record since start, in microseconds. */
  double maxMicros() {
    return maxNanos.get() / NANOS_PER_MICRO;
  }

  /** Mean time per record in the window, in microseconds; NaN if it had no record. */
  double windowAverageMicros() {
    return window().averageMicros();
  }

  /** Longest time of one record in the window, in microseconds; NaN if it had no record. */
  double windowMaxMicros() {
    return window().maxMicros();
  }

  private synchronized Window window() {
    long now = clock.getAsLong();
    long records = count.sum();
    long sum = sumNanos.sum();
    if (now - windowStart >= WINDOW_NANOS) {
      closed =
          new Window(
              records - countAtWindowStart, sum - sumAtWindowStart, windowMaxNanos.getThenReset());
      windowStart = now;
      countAtWindowStart = records;
      sumAtWindowStart = sum;
    }
    if (closed != null) {
      return closed;
    }
    return new Window(records - countAtWindowStart, sum - sumAtWindowStart, windowMaxNanos.get());
  }

  /** The records of one window: how many, their total time and the longest. */
  private record Window(long records, long sumNanos, long maxNanos) {
    double averageMicros() {
      return records == 0 ? Double.NaN : sumNanos / NANOS_PER_MICRO / records;
    }

    double maxMicros() {
      return records == 0 ? Double.NaN : maxNanos / NANOS_PER_MICRO;
    }
  }
}
