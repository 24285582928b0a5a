package io.csfle.connect.store.rest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Holds create-DEK requests inside {@link InMemoryDekRegistryServer} (after they arrived, before
 * they touch the store) until {@link #release()}, so a test can put two writers' creates in flight
 * at the same moment and then let them race. Handlers never wait more than 30 seconds, so a test
 * that forgets to release cannot hang the build. Closing releases.
 */
public final class DekCreatePause implements AutoCloseable {
  private static final long MAX_HOLD_MILLIS = 30_000;

  private int arrived;
  private boolean released;

  DekCreatePause() {}

  /** Called on a server thread for each create-DEK request; blocks until released. */
  synchronized void arrive() {
    arrived++;
    notifyAll();
    long deadline = System.currentTimeMillis() + MAX_HOLD_MILLIS;
    while (!released) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return;
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Waits until at least {@code count} create-DEK requests are being held. */
  public synchronized boolean awaitArrivals(int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (arrived < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** How many create-DEK requests have arrived since the pause was installed. */
  public synchronized int arrivals() {
    return arrived;
  }

  /** Lets every held request, and every later one, proceed. */
  public synchronized void release() {
    released = true;
    notifyAll();
  }

  @Override
  public void close() {
    release();
  }
}
