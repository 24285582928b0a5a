package io.csfle.connect.transforms;

import io.csfle.connect.field.FieldPath;

/**
 * Carries the field path of a failure that happened while processing one field, so that {@link
 * ConnectErrors} can name it. The cause is the lower layer's exception.
 */
class FieldFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient FieldPath path;

  FieldFailure(FieldPath path, RuntimeException cause) {
    super(cause.getMessage(), cause, false, false);
    this.path = path;
  }

  FieldFailure(FieldPath path, String message) {
    super(message, null, false, false);
    this.path = path;
  }

  FieldPath path() {
    return path;
  }
}
