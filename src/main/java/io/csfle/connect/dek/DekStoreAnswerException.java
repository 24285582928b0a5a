package io.csfle.connect.dek;

/**
 * The DEK store answered with something other than what was asked: another algorithm, version,
 * subject or KEK, a version below 1, or key material missing or of the wrong size. The answer is
 * refused, never used: a store that silently switches to a deterministic or shorter key, or to a
 * version no reader accepts, would weaken or lose data. Not retriable: the store holds the wrong
 * thing until someone fixes it. Messages name both sides (asked and answered), never key bytes.
 */
public class DekStoreAnswerException extends DekException {
  private static final long serialVersionUID = 1L;

  public DekStoreAnswerException(String message) {
    super(message);
  }

  public DekStoreAnswerException(String message, Throwable cause) {
    super(message, cause);
  }
}
