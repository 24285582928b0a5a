package io.csfle.connect.fieldcrypto;

import io.csfle.connect.dek.DecryptionKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts headers {@link HeaderEncryptor} wrote. A chosen header must be a ciphertext of its own
 * name: base64 text (a STRING, or the bytes of that text as a byte-array header converter reads it)
 * that decrypts under the subject's DEK with the header name as associated data. Anything else
 * (plaintext, altered bytes, a ciphertext moved from another header) fails the record, unless
 * pass-through is on: then the header stays as it came, and a warning names it.
 */
public final class HeaderDecryptor {
  private static final Logger log = LoggerFactory.getLogger(HeaderDecryptor.class);

  private final DecryptionKeys keys;
  private final CiphertextFormat format;
  private final PassThroughCounter passedThrough;

  /**
   * @param rotating true when ciphertexts carry the DEK version prefix
   * @param passedThrough null to fail on a header that cannot be decrypted; else it is kept as it
   *     came and counted here
   */
  public HeaderDecryptor(DecryptionKeys keys, boolean rotating, PassThroughCounter passedThrough) {
    this.keys = keys;
    this.format = new CiphertextFormat(rotating);
    this.passedThrough = passedThrough;
  }

  /**
   * The decrypted header for a non-null value of header {@code name} of {@code record}, whose
   * headers are under {@code subject}'s DEKs.
   *
   * @throws FieldCryptoException naming the header when it cannot be decrypted (and pass-through is
   *     off, or the failure is not the record's)
   */
  public SchemaAndValue decrypt(
      ConnectRecord<?> record, String subject, String name, Schema schema, Object value) {
    try {
      byte[] stored = ciphertextOf(name, value);
      byte[] plaintext =
          format.decrypt(
              keys.forVersion(subject, format.version(stored)),
              stored,
              HeaderValues.associatedData(name));
      return HeaderValues.restore(name, plaintext);
    } catch (RuntimeException e) {
      FieldCryptoException failure =
          e instanceof FieldCryptoException named
              ? named
              : FieldCryptoException.forHeader(name, null, e);
      if (passedThrough == null || FailureKind.of(failure) != FailureKind.RECORD) {
        throw failure;
      }
      passedThrough.fieldPassedThrough();
      log.warn(
          "Header '{}' of the {} could not be decrypted and is passed through as it came ({} so"
              + " far): {}",
          failure.header(),
          ConnectErrors.coordinates(record),
          passedThrough.passedThrough(),
          failure.getMessage());
      return new SchemaAndValue(schema, value);
    }
  }

  /** The ciphertext in a header: base64 text, as a String or as its bytes. */
  private static byte[] ciphertextOf(String name, Object value) {
    String text;
    if (value instanceof String s) {
      text = s;
    } else if (value instanceof byte[] || value instanceof ByteBuffer) {
      text = new String(FieldValues.bytesOf(null, value), StandardCharsets.ISO_8859_1);
    } else {
      throw FieldCryptoException.forHeader(
          name, "not a ciphertext: an encrypted header holds base64 text", null);
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw FieldCryptoException.forHeader(
          name, "value is not standard base64, so it is not an encrypted header", null);
    }
  }
}
