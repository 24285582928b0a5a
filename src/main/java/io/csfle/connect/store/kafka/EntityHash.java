package io.csfle.connect.store.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * 64-bit fingerprints of entities, subjects and claim ids: the first 8 bytes of a SHA-256, so that
 * entity names taken from record data cannot be chosen to collide cheaply. Never 0 (0 marks an
 * empty slot in {@link DekIndex}). A fingerprint is only a hint: whoever acts on an entity checks
 * the record key read back.
 */
final class EntityHash {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(EntityHash::newDigest);

  private EntityHash() {}

  static long of(EntityId id) {
    return of(KeyTopicJson.entityBytes(id));
  }

  /** The same for every version of a DEK subject. */
  static long ofSubject(EntityId id) {
    return of(EntityId.dek(id.kekName(), id.subject(), id.algorithm(), 0));
  }

  static long ofClaim(String claim) {
    return of(claim.getBytes(StandardCharsets.UTF_8));
  }

  private static long of(byte[] bytes) {
    long hash = ByteBuffer.wrap(SHA256.get().digest(bytes)).getLong();
    return hash == 0 ? 1 : hash;
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
