package io.csfle.connect.subject;

/**
 * A subject template that does not parse, or reads what it may not; the message names the part of
 * the template at fault. Configuration code turns it into a {@code ConfigException} on its key.
 */
public final class SubjectTemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SubjectTemplateException(String message) {
    super(message, null, false, false);
  }
}
