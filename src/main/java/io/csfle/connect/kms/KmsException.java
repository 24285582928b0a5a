package io.csfle.connect.kms;

/**
 * A KMS call failed. The {@link Reason} tells the Connect boundary whether retrying can help.
 * Messages name the key id and what to check, never key bytes.
 */
public class KmsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a KMS call failed, as far as the caller needs to know. */
  public enum Reason {
    /** Outage, timeout or throttling: retrying later may succeed. */
    UNAVAILABLE,
    /** The credentials may not use the key. */
    ACCESS_DENIED,
    /** The key does not exist or is disabled. */
    KEY_UNUSABLE,
    /** The wrapped bytes were not produced by this key, or were altered. */
    INVALID_CIPHERTEXT,
    /** The KEK cannot be built from the given settings (unknown type, missing secret, bad id). */
    MISCONFIGURED
  }

  private final Reason reason;

  public KmsException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KmsException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** True when retrying the same call later may succeed. */
  public boolean isRetriable() {
    return reason == Reason.UNAVAILABLE;
  }
}
