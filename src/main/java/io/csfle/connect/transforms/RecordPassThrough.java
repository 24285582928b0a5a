package io.csfle.connect.transforms;

import io.csfle.connect.field.FieldPath;

/**
 * Raised by {@link FieldDecryptor} with pass-through enabled when a field whose original type was
 * restored from its schema parameter (a typed field) cannot be decrypted: the restored schema
 * cannot hold the ciphertext, so {@link DecryptField} passes the whole record on unchanged, every
 * encrypted field still ciphertext, instead of failing it. Anywhere else it is the field failure it
 * wraps.
 */
final class RecordPassThrough extends FieldFailure {
  private static final long serialVersionUID = 1L;

  RecordPassThrough(FieldPath path, RuntimeException cause) {
    super(path, cause);
  }
}
