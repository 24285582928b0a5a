package io.csfle.connect.fieldcrypto;

import io.csfle.connect.field.FieldPath;

/**
 * A field of one record could not be encrypted, decrypted or re-encrypted: carries the field path
 * so that {@link ConnectErrors} can name it. Its cause, when it has one, is the lower layer's
 * exception, and that cause decides the {@link FailureKind}; without a cause the field's value was
 * wrong (not a ciphertext). Messages never hold a value or key bytes.
 */
public final class FieldCryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient FieldPath path;

  FieldCryptoException(FieldPath path, RuntimeException cause) {
    super(cause.getMessage(), cause, false, false);
    this.path = path;
  }

  FieldCryptoException(FieldPath path, String message) {
    super(message, null, false, false);
    this.path = path;
  }

  /** The configured path of the field that failed. */
  public FieldPath path() {
    return path;
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
