package io.csfle.connect.transforms;

import java.util.function.LongSupplier;

/**
 * The wall clock (epoch milliseconds) of one transform's key caches, which check every cached DEK's
 * age on every lookup: while a thread is processing a record, the time that record started, derived
 * from the {@link System#nanoTime()} the transform reads anyway to time it; in any other thread or
 * outside a record, the system clock. A lookup then costs no clock read of its own (on the virtual
 * machines workers run on, a clock read is a good part of a short field's encryption).
 *
 * <p>Record times are converted with an anchor (a wall-clock reading and the nanoTime it was taken
 * at) renewed once a second, so a change of the wall clock is seen within a second and the two
 * clocks' drift between renewals is far below a millisecond. Within one record, time stands still:
 * a cache entry fetched during the record is stamped with the record's start, so it expires at most
 * one record's duration early.
 *
 * <p>Connect applies a transform from one task thread, but nothing breaks when several threads
 * share one: each record's start is kept with the thread processing it, and a thread that finds
 * another thread's record (or none) reads the system clock.
 */
final class RecordClock implements LongSupplier {
  static final long RESYNC_NANOS = 1_000_000_000L;

  private record Anchor(long nanos, long millis) {}

  private record Current(Thread thread, long millis) {}

  private final LongSupplier wallClock;
  private Anchor anchor;
  private Current current;

  RecordClock() {
    this(System::currentTimeMillis);
  }

  /**
   * @param wallClock epoch milliseconds, read outside records and to renew the anchor
   */
  RecordClock(LongSupplier wallClock) {
    this.wallClock = wallClock;
  }

  /** The calling thread starts a record at {@code startNanos} (a {@link System#nanoTime()}). */
  void startRecord(long startNanos) {
    current = new Current(Thread.currentThread(), millisAt(startNanos));
  }

  /** The calling thread is done with its record. */
  void endRecord() {
    Current mine = current;
    if (mine != null && mine.thread() == Thread.currentThread()) {
      current = null;
    }
  }

  @Override
  public long getAsLong() {
    Current mine = current;
    return mine != null && mine.thread() == Thread.currentThread()
        ? mine.millis()
        : wallClock.getAsLong();
  }

  private long millisAt(long nanos) {
    Anchor known = anchor;
    if (known == null || nanos - known.nanos() >= RESYNC_NANOS || nanos < known.nanos()) {
      known = new Anchor(nanos, wallClock.getAsLong());
      anchor = known;
    }
    return known.millis() + (nanos - known.nanos()) / 1_000_000L;
  }
}
