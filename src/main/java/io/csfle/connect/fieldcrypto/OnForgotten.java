package io.csfle.connect.fieldcrypto;

/**
 * What {@link FieldDecryptor} does with a field whose entity was forgotten: its DEK is gone and its
 * subject has no DEK left ({@link io.csfle.connect.dek.ForgottenDekException}). Other failures
 * (altered ciphertext, outages) never get this treatment.
 */
public enum OnForgotten {
  /** The record fails with a {@code DataException} saying the DEK was destroyed. */
  FAIL,
  /** The ciphertext stays, as with {@code decrypt.on.failure=passthrough}. */
  PASSTHROUGH,
  /** The field becomes null; its decrypted schema is made optional. */
  NULL
}
