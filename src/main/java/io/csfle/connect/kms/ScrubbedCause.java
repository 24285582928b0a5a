package io.csfle.connect.kms;

import io.csfle.connect.remote.SecretScrubber;

/**
 * Stands in for an SDK exception whose message carries text a KMS server sent (an error message, a
 * status description, a body excerpt): a server can echo what it received, credentials included. It
 * keeps the original's class name, its stack trace and its chain of causes, each message put
 * through {@link SecretScrubber#serverText}, so that a KMS exception can keep a diagnosable cause
 * without keeping raw server text.
 */
public final class ScrubbedCause extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_DEPTH = 8;

  private ScrubbedCause(String message, StackTraceElement[] stackTrace) {
    super(message);
    setStackTrace(stackTrace);
  }

  /** {@code original} and its causes, rebuilt with scrubbed, bounded messages; null stays null. */
  public static ScrubbedCause of(Throwable original, SecretScrubber scrubber) {
    return of(original, scrubber, 0);
  }

  private static ScrubbedCause of(Throwable original, SecretScrubber scrubber, int depth) {
    if (original == null || depth >= MAX_DEPTH) {
      return null;
    }
    String message = scrubber.serverText(original.getMessage());
    ScrubbedCause copy =
        new ScrubbedCause(
            original.getClass().getName() + (message == null ? "" : ": " + message),
            original.getStackTrace());
    Throwable cause = original.getCause();
    if (cause != null && cause != original) {
      copy.initCause(of(cause, scrubber, depth + 1));
    }
    return copy;
  }

  /** The original's class name and scrubbed message, as the original's toString would read. */
  @Override
  public String toString() {
    return getMessage();
  }
}
