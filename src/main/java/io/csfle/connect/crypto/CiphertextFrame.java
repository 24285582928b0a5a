package io.csfle.connect.crypto;

/**
 * The optional DEK-version prefix Confluent writes in rotation mode (expiry days &gt; 0): one
 * {@code 0x00} magic byte and the DEK version as a 4-byte big-endian int. Nothing in the bytes says
 * whether the prefix is present: reader and writer agree through configuration.
 */
public final class CiphertextFrame {
  /** Length of the magic byte plus the version. */
  public static final int PREFIX_LENGTH = 5;

  private static final byte MAGIC = 0x00;

  private CiphertextFrame() {}

  /** Returns {@code 0x00 || version(4, big-endian) || ciphertext}. */
  public static byte[] withVersion(int version, byte[] ciphertext) {
    byte[] framed = new byte[PREFIX_LENGTH + ciphertext.length];
    framed[0] = MAGIC;
    framed[1] = (byte) (version >>> 24);
    framed[2] = (byte) (version >>> 16);
    framed[3] = (byte) (version >>> 8);
    framed[4] = (byte) version;
    System.arraycopy(ciphertext, 0, framed, PREFIX_LENGTH, ciphertext.length);
    return framed;
  }

  /**
   * Reads the DEK version from a prefixed ciphertext.
   *
   * @throws CryptoException when the bytes are too short or do not start with the magic byte
   */
  public static int version(byte[] framed) {
    return version(framed, framed.length);
  }

  /**
   * Reads the DEK version from a prefixed ciphertext held in the first {@code length} bytes of
   * {@code framed}.
   *
   * @throws CryptoException when those bytes are too short or do not start with the magic byte
   */
  public static int version(byte[] framed, int length) {
    if (length < PREFIX_LENGTH) {
      throw new CryptoException(
          "Ciphertext is too short to carry a DEK version prefix (" + length + " bytes)");
    }
    if (framed[0] != MAGIC) {
      throw new CryptoException(
          "Ciphertext does not start with the DEK version prefix: written without rotation mode,"
              + " or not a CSFLE ciphertext");
    }
    int version =
        ((framed[1] & 0xFF) << 24)
            | ((framed[2] & 0xFF) << 16)
            | ((framed[3] & 0xFF) << 8)
            | (framed[4] & 0xFF);
    if (version < 1) {
      throw new CryptoException("Ciphertext names an invalid DEK version " + version);
    }
    return version;
  }
}
