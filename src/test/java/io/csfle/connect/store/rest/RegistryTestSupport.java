package io.csfle.connect.store.rest;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** Shared test data and a fast client configuration (millisecond backoffs). */
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

  static NewKek kek(String name) {
    return new NewKek(name, "local-kms", "mykey", Map.of(), null, false);
  }

  static NewKek sharedKek(String name) {
    return new NewKek(name, "local-kms", "mykey", Map.of(), null, true);
  }

  static NewDek dek(String subject, int version) {
    return new NewDek(subject, version, DekAlgorithm.AES256_GCM, wrapped(subject, version));
  }

  /** Stand-in for KEK-wrapped key bytes: distinct per subject and version, never unwrapped. */
  static byte[] wrapped(String subject, int version) {
    byte[] bytes = new byte[48];
    byte[] seed = (subject + "#" + version).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (seed[i % seed.length] * 31 + i);
    }
    return bytes;
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
