package io.csfle.connect.dek;

import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The stored form of an entity key: its key proto wrapped locally with AES-256-GCM under a version
 * of its parent subject DEK, the {@code encryptedKeyMaterial} of a DEK of KEK {@code
 * <kek>-entities}. Layout (docs/entity-keys.md pins it):
 *
 * <pre>
 * format (1 byte, 0x01) | parent DEK version (4 bytes, big-endian, &gt;= 1)
 *   | parent subject length (2 bytes, big-endian, 1..255) | parent subject (UTF-8)
 *   | IV (12) | wrapped key proto | GCM tag (16)
 * </pre>
 *
 * The associated data binds the wrap to the KEK, entity subject, algorithm, entity version, parent
 * subject and parent version, so a wrapped key moved to another entity or version (or re-pointed at
 * another parent) fails to unwrap instead of yielding a wrong key.
 */
final class EntityKeyWrap {
  static final int FORMAT = 1;
  private static final byte[] AAD_LABEL = "csfle-entity-v1".getBytes(StandardCharsets.US_ASCII);
  private static final int IV_BYTES = 12;
  private static final int TAG_BYTES = 16;
  private static final int MAX_SUBJECT_BYTES = 255;

  /** Where an entity key sits: the fields its wrap is bound to. */
  record Binding(String kekName, String entitySubject, DekAlgorithm algorithm, int version) {}

  /** The parent named by a stored wrap, and the wrapped bytes (IV, ciphertext, tag). */
  record Parsed(String parentSubject, int parentVersion, byte[] wrapped) {}

  private EntityKeyWrap() {}

  /** Wraps {@code keyProto} under {@code parent} (AES256_GCM), bound to {@code binding}. */
  static byte[] wrap(
      Binding binding,
      byte[] keyProto,
      String parentSubject,
      int parentVersion,
      FieldCipher parent) {
    byte[] subject = utf8(parentSubject);
    if (subject.length == 0 || subject.length > MAX_SUBJECT_BYTES) {
      throw new DekException(
          "Parent subject '" + parentSubject + "' must be 1 to 255 bytes of UTF-8");
    }
    byte[] wrapped = parent.encrypt(keyProto, aad(binding, parentSubject, parentVersion));
    return ByteBuffer.allocate(1 + 4 + 2 + subject.length + wrapped.length)
        .put((byte) FORMAT)
        .putInt(parentVersion)
        .putShort((short) subject.length)
        .put(subject)
        .put(wrapped)
        .array();
  }

  /**
   * Reads a stored wrap, checking its layout and length for {@code binding}'s algorithm.
   *
   * @throws DekStoreAnswerException when the bytes are not such a wrap
   */
  static Parsed parse(Binding binding, byte[] stored) {
    String what = describe(binding);
    if (stored == null || stored.length < 7) {
      throw refused(what, "its encryptedKeyMaterial is missing or too short for an entity key");
    }
    ByteBuffer in = ByteBuffer.wrap(stored);
    int format = in.get() & 0xFF;
    if (format != FORMAT) {
      throw refused(what, "its encryptedKeyMaterial has entity key format " + format);
    }
    int parentVersion = in.getInt();
    int subjectLength = in.getShort() & 0xFFFF;
    if (parentVersion < 1) {
      throw refused(what, "it names parent DEK version " + parentVersion);
    }
    if (subjectLength == 0 || subjectLength > MAX_SUBJECT_BYTES || in.remaining() < subjectLength) {
      throw refused(what, "its parent subject length " + subjectLength + " is out of range");
    }
    byte[] subject = new byte[subjectLength];
    in.get(subject);
    int expected = IV_BYTES + protoLength(binding.algorithm()) + TAG_BYTES;
    if (in.remaining() != expected) {
      throw refused(
          what,
          "its wrapped key is "
              + in.remaining()
              + " bytes, not the "
              + expected
              + " of a wrapped "
              + binding.algorithm()
              + " key");
    }
    byte[] wrapped = Arrays.copyOfRange(stored, in.position(), stored.length);
    return new Parsed(new String(subject, StandardCharsets.UTF_8), parentVersion, wrapped);
  }

  /**
   * Unwraps a parsed wrap with its parent; the caller must wipe the result.
   *
   * @throws DekStoreAnswerException when the parent, binding or bytes do not match
   */
  static byte[] unwrap(Binding binding, Parsed parsed, FieldCipher parent) {
    try {
      return parent.decrypt(
          parsed.wrapped(), aad(binding, parsed.parentSubject(), parsed.parentVersion()));
    } catch (CryptoException e) {
      throw refused(
          describe(binding),
          "its key does not unwrap with parent DEK '"
              + parsed.parentSubject()
              + "' version "
              + parsed.parentVersion()
              + " (wrapped for another entity, version or parent, or altered)");
    }
  }

  static String describe(Binding binding) {
    return "entity key '"
        + binding.entitySubject()
        + "' version "
        + binding.version()
        + " ("
        + binding.algorithm()
        + ") of KEK '"
        + binding.kekName()
        + EntityKeys.KEK_SUFFIX
        + "'";
  }

  private static DekStoreAnswerException refused(String what, String why) {
    return new DekStoreAnswerException(
        "Refused the DEK store's answer for "
            + what
            + ": "
            + why
            + ". Nothing was encrypted or decrypted with it; check the DEK store");
  }

  /** Length-prefixed fields, so that no two bindings share associated data. */
  static byte[] aad(Binding binding, String parentSubject, int parentVersion) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(AAD_LABEL);
    field(out, utf8(binding.kekName()));
    field(out, utf8(binding.entitySubject()));
    field(out, utf8(binding.algorithm().name()));
    out.writeBytes(ByteBuffer.allocate(4).putInt(binding.version()).array());
    field(out, utf8(parentSubject));
    out.writeBytes(ByteBuffer.allocate(4).putInt(parentVersion).array());
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  /** A key proto is a 2-byte header (tag, length) and the raw key: see KeyMaterial. */
  private static int protoLength(DekAlgorithm algorithm) {
    return 2 + algorithm.keySize();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
