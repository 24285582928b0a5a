package io.csfle.connect.store.rest;

import io.csfle.connect.store.DekStoreException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait between two rounds over the registry URLs: exponential from the initial backoff, capped,
 * with "equal jitter" (half fixed, half random) so that many tasks failing together do not retry
 * together.
 */
final class RegistryRetryBackoff {
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  RegistryRetryBackoff(Duration initialBackoff, Duration maxBackoff) {
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** Sleeps before retry number {@code retry} (from 1); an interrupt ends the call UNAVAILABLE. */
  void await(int retry, String method, String pathAndQuery) {
    try {
      Thread.sleep(delay(retry).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DekStoreException(
          DekStoreException.Kind.UNAVAILABLE,
          0,
          "Interrupted while waiting to retry DEK registry " + method + " " + pathAndQuery,
          e);
    }
  }

  private Duration delay(int retry) {
    long initial = initialBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    long exponential = initial;
    for (int i = 1; i < retry && exponential < cap; i++) {
      exponential *= 2;
    }
    exponential = Math.min(cap, exponential);
    long half = exponential / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(exponential - half + 1));
  }
}
