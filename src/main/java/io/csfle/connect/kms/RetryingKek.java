package io.csfle.connect.kms;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Retries a KEK's calls that failed with {@link KmsException.Reason#UNAVAILABLE} (outage, timeout,
 * throttling), with exponential backoff and full jitter, so that a brief KMS hiccup does not fail a
 * record. Other failures (access denied, unusable key, bad ciphertext) are final and are not
 * retried. Composed around every provider's KEK by {@link KekProviders}.
 */
public final class RetryingKek implements Kek {
  /** Sleeps between attempts; replaced in tests. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final Kek delegate;
  private final KmsRetryPolicy policy;
  private final Sleeper sleeper;

  RetryingKek(Kek delegate, KmsRetryPolicy policy, Sleeper sleeper) {
    this.delegate = delegate;
    this.policy = policy;
    this.sleeper = sleeper;
  }

  public static Kek wrap(Kek delegate, KmsRetryPolicy policy) {
    return new RetryingKek(delegate, policy, Thread::sleep);
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    return call(delegate::wrap, keyMaterial);
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    return call(delegate::unwrap, encryptedKeyMaterial);
  }

  @Override
  public void close() {
    delegate.close();
  }

  private byte[] call(Function<byte[], byte[]> operation, byte[] input) {
    long backoff = policy.initialBackoffMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return operation.apply(input);
      } catch (KmsException e) {
        if (!e.isRetriable() || attempt >= policy.maxAttempts()) {
          throw e;
        }
      }
      try {
        sleeper.sleep(ThreadLocalRandom.current().nextLong(backoff + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KmsException(
            KmsException.Reason.UNAVAILABLE, "Interrupted while waiting to retry a KMS call");
      }
      backoff = Math.min(backoff * 2, policy.maxBackoffMillis());
    }
  }
}
