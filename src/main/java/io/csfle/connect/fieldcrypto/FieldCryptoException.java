package io.csfle.connect.fieldcrypto;

import io.csfle.connect.field.FieldPath;

/**
 * A field (or header) of one record could not be encrypted, decrypted or re-encrypted: carries the
 * field path or header name so that {@link ConnectErrors} can name it. Its cause, when it has one,
 * is the lower layer's exception, and that cause decides the {@link FailureKind}; without a cause
 * the field's value was wrong (not a ciphertext). Messages never hold a value or key bytes.
 */
public final class FieldCryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private static final int MAX_HEADER_NAME_CHARS = 100;

  private final transient FieldPath path;
  private final String header;

  FieldCryptoException(FieldPath path, RuntimeException cause) {
    this(path, null, cause.getMessage(), cause);
  }

  FieldCryptoException(FieldPath path, String message) {
    this(path, null, message, null);
  }

  private FieldCryptoException(
      FieldPath path, String header, String message, RuntimeException cause) {
    super(message, cause, false, false);
    this.path = path;
    this.header = header;
  }

  /**
   * A header that failed: {@code cause} is the lower layer's exception, or null when the header's
   * value was wrong and {@code message} says how.
   */
  static FieldCryptoException forHeader(String name, String message, RuntimeException cause) {
    return new FieldCryptoException(
        null, printable(name), cause == null ? message : cause.getMessage(), cause);
  }

  /** The configured path of the field that failed; null for a header. */
  public FieldPath path() {
    return path;
  }

  /** The name of the header that failed (shortened, control characters escaped); else null. */
  public String header() {
    return header;
  }

  /** A header name comes from the record: cut to a length and kept on one line for messages. */
  private static String printable(String name) {
    StringBuilder s = new StringBuilder();
    name.codePoints()
        .limit(MAX_HEADER_NAME_CHARS)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                s.append(String.format("\\u%04x", c));
              } else {
                s.appendCodePoint(c);
              }
            });
    return name.length() > MAX_HEADER_NAME_CHARS ? s.append("...").toString() : s.toString();
  }

  /** {@code failure} wrapped with {@code path}, unless it already names its field. */
  static FieldCryptoException of(FieldPath path, RuntimeException failure) {
    return failure instanceof FieldCryptoException named
        ? named
        : new FieldCryptoException(path, failure);
  }

  /** The exception that says what went wrong, past the field wrapper. */
  public static RuntimeException rootOf(RuntimeException failure) {
    return failure instanceof FieldCryptoException f && f.getCause() instanceof RuntimeException r
        ? r
        : failure;
  }
}
