package io.csfle.connect.dek;

/**
 * The DEK a ciphertext names is gone and so is every other version of its subject: the entity was
 * forgotten ({@code csfle-dek-admin forget}, or a permanent delete of the whole subject). A version
 * missing from a subject that still has others is not this, but a plain {@link
 * MissingDekException}: an altered version prefix must not pass for an erasure.
 */
public class ForgottenDekException extends MissingDekException {
  private static final long serialVersionUID = 1L;

  public ForgottenDekException(String message) {
    super(message);
  }
}
