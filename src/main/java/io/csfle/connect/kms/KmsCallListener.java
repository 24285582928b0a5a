package io.csfle.connect.kms;

/**
 * Hears about every wrap and unwrap a KEK makes (after retries), for metrics. Called on the calling
 * thread; implementations must be cheap and must not throw.
 */
@FunctionalInterface
public interface KmsCallListener {
  KmsCallListener NONE = (kmsType, operation, nanos, failure) -> {};

  /**
   * @param operation {@code wrap} or {@code unwrap}
   * @param failure the final failure, or {@code null} when the call succeeded
   */
  void onCall(String kmsType, String operation, long nanos, KmsException failure);
}
