package io.csfle.connect.store.rest;

import java.time.Duration;
import java.util.concurrent.Callable;

/** A fast client configuration (millisecond backoffs) and outcome capture for REST store tests. */
final class RegistryTestSupport {
  private RegistryTestSupport() {}

  /** Defaults that keep failing tests fast: 1-5 ms backoff, 2 s request timeout. */
  static RegistryClientConfig.Builder fastConfig(String urls) {
    return RegistryClientConfig.builder(urls)
        .connectTimeout(Duration.ofSeconds(1))
        .requestTimeout(Duration.ofSeconds(2))
        .maxRetries(3)
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5));
  }

  /** Runs {@code call}, returning its result or the exception it threw. */
  static Object outcome(Callable<?> call) {
    try {
      return call.call();
    } catch (Exception e) {
      return e;
    }
  }
}
