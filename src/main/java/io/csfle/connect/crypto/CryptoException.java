package io.csfle.connect.crypto;

/**
 * A cipher operation failed. Messages never carry plaintext, ciphertext or key bytes: a failed
 * decryption only says that it failed and, where known, why in general terms.
 */
public class CryptoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
