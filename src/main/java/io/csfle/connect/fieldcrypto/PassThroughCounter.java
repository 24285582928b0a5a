package io.csfle.connect.fieldcrypto;

/** Where {@link FieldDecryptor} counts the fields it passes through as ciphertext. */
public interface PassThroughCounter {

  /** Counts one field passed through. */
  void fieldPassedThrough();

  /** The fields passed through so far, for log lines. */
  long passedThrough();

  /** Counts one field of a forgotten entity set to null ({@link OnForgotten#NULL}). */
  default void fieldForgotten() {}
}
