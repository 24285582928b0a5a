package io.csfle.connect.fieldcrypto;

import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.field.FieldPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.IntFunction;

/**
 * How a ciphertext sits in a field, as Confluent writes it: a STRING field holds the padded
 * standard base64 of the bytes, a BYTES field the raw bytes; in rotation mode (expiry days &gt; 0)
 * the bytes start with the DEK version frame ({@link CiphertextFrame}), otherwise the version is 1.
 * Encrypt, decrypt and re-encrypt all read and write ciphertexts through this class.
 */
final class CiphertextFormat {
  private static final Base64.Encoder BASE64_ENCODER = Base64.getEncoder();
  private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

  /** Base64 text up to this length is encoded in the thread's scratch array; longer, in its own. */
  static final int MAX_SCRATCH_BYTES = 64 * 1024;

  /** Each thread's base64 output array: its text is copied into a String, never handed out. */
  private static final ThreadLocal<byte[]> BASE64_SCRATCH =
      ThreadLocal.withInitial(() -> new byte[256]);

  /**
   * Each thread's array for the ciphertext decoded from a STRING field: read by the cipher in
   * place, never handed out.
   */
  private static final ThreadLocal<byte[]> DECODED_SCRATCH =
      ThreadLocal.withInitial(() -> new byte[192]);

  private final boolean rotating;

  CiphertextFormat(boolean rotating) {
    this.rotating = rotating;
  }

  boolean rotating() {
    return rotating;
  }

  /** The field's ciphertext: STRING values are base64-decoded, BYTES values taken as they are. */
  static byte[] read(FieldPath path, Object value) {
    if (value instanceof String text) {
      try {
        return BASE64_DECODER.decode(text);
      } catch (IllegalArgumentException e) {
        throw notBase64(path);
      }
    }
    return FieldValues.bytesOf(path, value);
  }

  /**
   * Decrypts the ciphertext a field holds (see {@link #read}) with the DEK {@code cipherOfVersion}
   * gives for its version. A STRING field's base64 is decoded into the thread's scratch array and
   * decrypted there, instead of into an array of its own; failures are those of {@link #read},
   * {@link #version}, {@code cipherOfVersion} and {@link #decrypt(FieldCipher, byte[])}, in that
   * order.
   */
  byte[] decryptField(FieldPath path, Object value, IntFunction<FieldCipher> cipherOfVersion) {
    if (value instanceof String text && text.length() <= MAX_SCRATCH_BYTES) {
      // What Decoder.decode(String) does, with the output in the scratch array.
      byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
      byte[] scratch = DECODED_SCRATCH.get();
      int room = ascii.length / 4 * 3 + 3;
      if (scratch.length < room) {
        scratch = new byte[Math.max(room, Math.min(2 * scratch.length, MAX_SCRATCH_BYTES))];
        DECODED_SCRATCH.set(scratch);
      }
      int length;
      try {
        length = BASE64_DECODER.decode(ascii, scratch);
      } catch (IllegalArgumentException e) {
        throw notBase64(path);
      }
      int version = rotating ? CiphertextFrame.version(scratch, length) : 1;
      int offset = rotating ? CiphertextFrame.PREFIX_LENGTH : 0;
      return cipherOfVersion
          .apply(version)
          .decrypt(scratch, offset, length - offset, FieldCipher.NO_ASSOCIATED_DATA);
    }
    byte[] stored = read(path, value);
    return decrypt(cipherOfVersion.apply(version(stored)), stored);
  }

  private static FieldCryptoException notBase64(FieldPath path) {
    return new FieldCryptoException(
        path, "value is not standard base64, so it is not a CSFLE ciphertext of a string");
  }

  /** The value a STRING field holds for {@code ciphertext}. */
  static String base64(byte[] ciphertext) {
    int length = 4 * ((ciphertext.length + 2) / 3);
    if (length > MAX_SCRATCH_BYTES) {
      return BASE64_ENCODER.encodeToString(ciphertext);
    }
    // encodeToString encodes into a new array and then copies it into the String; encoding into
    // the thread's scratch array leaves only the copy (a 1 KiB value allocated 1.4 KiB less).
    byte[] scratch = BASE64_SCRATCH.get();
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, Math.min(2 * scratch.length, MAX_SCRATCH_BYTES))];
      BASE64_SCRATCH.set(scratch);
    }
    int written = BASE64_ENCODER.encode(ciphertext, scratch);
    return new String(scratch, 0, written, StandardCharsets.ISO_8859_1);
  }

  /** {@code ciphertext} as a field of the same Java type as {@code like} holds it. */
  static Object writeLike(Object like, byte[] ciphertext) {
    return like instanceof String ? base64(ciphertext) : ciphertext;
  }

  /** The ciphertext to store: framed with the DEK version in rotation mode. */
  byte[] frame(int version, byte[] ciphertext) {
    return rotating ? CiphertextFrame.withVersion(version, ciphertext) : ciphertext;
  }

  /**
   * The DEK version a stored ciphertext was written with.
   *
   * @throws io.csfle.connect.crypto.CryptoException when the frame is missing or invalid
   */
  int version(byte[] stored) {
    return rotating ? CiphertextFrame.version(stored) : 1;
  }

  /** True when {@code stored} may be of DEK {@code version}: checked without an exception. */
  boolean mayBeOfVersion(byte[] stored, int version) {
    return !rotating
        || stored.length >= CiphertextFrame.PREFIX_LENGTH
            && stored[0] == 0
            && CiphertextFrame.version(stored) == version;
  }

  /** Decrypts a stored ciphertext, frame skipped, with the DEK of its version. */
  byte[] decrypt(FieldCipher cipher, byte[] stored) {
    return decrypt(cipher, stored, FieldCipher.NO_ASSOCIATED_DATA);
  }

  /** As {@link #decrypt(FieldCipher, byte[])}, for a ciphertext bound to {@code associatedData}. */
  byte[] decrypt(FieldCipher cipher, byte[] stored, byte[] associatedData) {
    int offset = rotating ? CiphertextFrame.PREFIX_LENGTH : 0;
    return cipher.decrypt(stored, offset, stored.length - offset, associatedData);
  }
}
