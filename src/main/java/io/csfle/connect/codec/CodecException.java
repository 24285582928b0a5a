package io.csfle.connect.codec;

/**
 * A value or schema could not be encoded or decoded: a type the format does not carry, a value that
 * does not fit its schema, or bytes or JSON that are not a well-formed payload. Messages name tags,
 * Java types and positions, never a value (the bytes being decoded are decrypted plaintext).
 */
public class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }
}
