package io.csfle.connect.field;

import java.util.Optional;

/**
 * A field path is malformed, or cannot be applied to a record or schema: a name the schema lacks, a
 * path that goes through a value with no fields, a rewrite the schema cannot express. Messages name
 * paths, fields and types, never values.
 */
public class FieldPathException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  // FieldPath is not Serializable; the message already names the path.
  private final transient FieldPath path;

  /** An error that concerns no single configured path. */
  public FieldPathException(String message) {
    this(null, message);
  }

  /** An error about {@code path}; {@code path} may be null when no parsed path exists yet. */
  public FieldPathException(FieldPath path, String message) {
    super(message);
    this.path = path;
  }

  /** An error about {@code path} caused by {@code cause}, e.g. Connect's own validation. */
  public FieldPathException(FieldPath path, String message, Throwable cause) {
    super(message, cause);
    this.path = path;
  }

  /** The configured path this error concerns, when it concerns one. */
  public Optional<FieldPath> path() {
    return Optional.ofNullable(path);
  }
}
