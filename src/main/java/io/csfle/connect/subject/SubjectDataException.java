package io.csfle.connect.subject;

import org.apache.kafka.connect.errors.DataException;

/**
 * A record from which no DEK subject can be rendered: a placeholder's sources are all missing, a
 * source holds a value that cannot name a subject, or the subject is too long. A record problem, so
 * a {@link DataException}; the message names the template part and source path, never a value of
 * the record (values are personal data).
 */
public final class SubjectDataException extends DataException {
  private static final long serialVersionUID = 1L;

  SubjectDataException(String message) {
    super(message);
  }
}
