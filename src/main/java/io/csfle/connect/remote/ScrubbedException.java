package io.csfle.connect.remote;

import java.io.IOException;

/**
 * A stand-in for a transport failure whose message may quote a server (the JDK quotes an invalid
 * status line, for one): the same class name and stack trace, the message put through {@link
 * SecretScrubber#serverText}, and the causes replaced likewise. Attach this, never the original, as
 * the cause of an exception that leaves a remote client, so that no cause in the chain carries raw
 * server text.
 */
public final class ScrubbedException extends IOException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_DEPTH = 8;

  private ScrubbedException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The scrubbed copy of {@code original} and its causes; null stays null. */
  public static ScrubbedException of(Throwable original, SecretScrubber scrubber) {
    return copy(original, scrubber, 0);
  }

  private static ScrubbedException copy(Throwable original, SecretScrubber scrubber, int depth) {
    if (original == null || depth >= MAX_DEPTH) {
      return null;
    }
    Throwable cause = original.getCause() == original ? null : original.getCause();
    String message = original.getMessage();
    ScrubbedException copy =
        new ScrubbedException(
            original.getClass().getName()
                + (message == null ? "" : ": " + scrubber.serverText(message)),
            copy(cause, scrubber, depth + 1));
    copy.setStackTrace(original.getStackTrace());
    return copy;
  }

  /** The original's class name and scrubbed message, as the original's toString would read. */
  @Override
  public String toString() {
    return getMessage();
  }
}
