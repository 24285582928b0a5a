package io.csfle.connect.remote;

import java.io.IOException;

/**
 * A server sent (or announced) a response body larger than the caller's limit; the rest of it was
 * not read. Retrying cannot help: an honest server never answers this call with so much, so the
 * caller should treat it as a misbehaving server (or a wrong URL), not as an outage.
 */
public final class BodyTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long limit;
  private final int status;

  BodyTooLargeException(String where, int status, long limit, long declaredLength) {
    super(
        "response body from "
            + where
            + " (HTTP "
            + status
            + ") "
            + (declaredLength >= 0
                ? "announces " + declaredLength + " bytes (Content-Length), over"
                : "goes past")
            + " the limit of "
            + limit
            + " bytes; the rest was not read");
    this.limit = limit;
    this.status = status;
  }

  /** The limit, in bytes, that the body passed. */
  public long limit() {
    return limit;
  }

  /** The HTTP status of the response whose body was refused. */
  public int status() {
    return status;
  }
}
