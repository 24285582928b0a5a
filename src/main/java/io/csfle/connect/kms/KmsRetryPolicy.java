package io.csfle.connect.kms;

/**
 * How often and how patiently a KMS call that failed with an outage is retried.
 *
 * @param maxAttempts attempts in all, the first included (1 = no retry)
 * @param initialBackoffMillis upper bound of the first random wait; doubles per retry
 * @param maxBackoffMillis cap of the upper bound
 */
public record KmsRetryPolicy(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis) {
  /** Four attempts over at most about two seconds: rides out throttling, not a long outage. */
  public static final KmsRetryPolicy DEFAULT = new KmsRetryPolicy(4, 100, 1_000);

  public KmsRetryPolicy {
    if (maxAttempts < 1 || initialBackoffMillis < 0 || maxBackoffMillis < initialBackoffMillis) {
      throw new IllegalArgumentException("invalid KMS retry policy");
    }
  }
}
