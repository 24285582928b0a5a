package io.csfle.connect.dek;

/**
 * A key could not be resolved for reasons that retrying will not fix: a KEK registered with other
 * KMS settings than configured, a missing or soft-deleted key, unusable key material. The message
 * says what to fix and never carries key bytes.
 */
public class DekException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DekException(String message) {
    super(message);
  }

  public DekException(String message, Throwable cause) {
    super(message, cause);
  }
}
