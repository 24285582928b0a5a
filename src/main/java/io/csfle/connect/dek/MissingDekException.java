package io.csfle.connect.dek;

/**
 * The DEK a ciphertext names does not exist (permanently deleted, or written under another KEK,
 * subject or algorithm). Data encrypted under it can no longer be decrypted.
 */
public class MissingDekException extends DekException {
  private static final long serialVersionUID = 1L;

  public MissingDekException(String message) {
    super(message);
  }
}
