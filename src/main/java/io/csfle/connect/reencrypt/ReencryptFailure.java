package io.csfle.connect.reencrypt;

import io.csfle.connect.field.FieldPath;

/**
 * A field of one record could not be decrypted or re-encrypted; carries the field path so that
 * {@link ReencryptErrors} can name it. The cause is the lower layer's exception, whose message
 * never holds a value or key bytes.
 */
final class ReencryptFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient FieldPath path;

  ReencryptFailure(FieldPath path, RuntimeException cause) {
    super(cause.getMessage(), cause, false, false);
    this.path = path;
  }

  ReencryptFailure(FieldPath path, String message) {
    super(message, null, false, false);
    this.path = path;
  }

  FieldPath path() {
    return path;
  }
}
