package io.csfle.connect.store;

/**
 * A DEK registry call failed. {@link #kind()} is decided from the HTTP status (never from the
 * body's {@code error_code}, which some servers get wrong) or from the transport failure.
 */
public class DekStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as a caller branches on it. */
  public enum Kind {
    /** HTTP 404: the KEK or DEK does not exist (or is soft-deleted and deleted=false). */
    NOT_FOUND,
    /** HTTP 409: the entity already exists (another writer may have won a race). */
    CONFLICT,
    /** HTTP 401/403: credentials missing or not allowed. */
    ACCESS_DENIED,
    /** Timeouts, connection failures, 408, 429 and 5xx after all retries and URLs. */
    UNAVAILABLE,
    /** Any other rejected request (400, 405, 422, ...). */
    REJECTED
  }

  private final Kind kind;
  private final int status;

  public DekStoreException(Kind kind, int status, String message) {
    super(message);
    this.kind = kind;
    this.status = status;
  }

  public DekStoreException(Kind kind, int status, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when no response was received. */
  public int status() {
    return status;
  }

  public boolean isRetriable() {
    return kind == Kind.UNAVAILABLE;
  }
}
