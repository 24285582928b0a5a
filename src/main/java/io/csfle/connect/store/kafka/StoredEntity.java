package io.csfle.connect.store.kafka;

import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;

/**
 * The value of a record in the key topic: a KEK or a DEK (wrapped bytes only, never {@code
 * keyMaterial}) and, for updates, the offset of the claim they belong to.
 *
 * @param claimOffset {@link #CLAIM} for the claim itself (its own offset decides), otherwise the
 *     offset of the winning claim this update continues
 */
record StoredEntity(RegisteredKek kek, RegisteredDek dek, long claimOffset) {
  static final long CLAIM = -1L;

  StoredEntity {
    if ((kek == null) == (dek == null)) {
      throw new IllegalArgumentException("exactly one of kek and dek");
    }
    if (dek != null && dek.keyMaterial() != null) {
      throw new IllegalArgumentException("plaintext key material is never stored");
    }
  }

  static StoredEntity claimOf(RegisteredKek kek) {
    return new StoredEntity(kek, null, CLAIM);
  }

  static StoredEntity claimOf(RegisteredDek dek) {
    return new StoredEntity(null, dek, CLAIM);
  }

  boolean deleted() {
    return kek != null ? kek.deleted() : dek.deleted();
  }

  /**
   * The same entity soft-deleted or undeleted. A KEK's {@code ts} becomes {@code now} (time of the
   * last change); a DEK keeps its creation time, from which rotation expiry counts.
   */
  StoredEntity withDeleted(boolean nowDeleted, long now) {
    if (kek != null) {
      return new StoredEntity(
          new RegisteredKek(
              kek.name(),
              kek.kmsType(),
              kek.kmsKeyId(),
              kek.kmsProps(),
              kek.doc(),
              kek.shared(),
              now,
              nowDeleted),
          null,
          claimOffset);
    }
    return new StoredEntity(
        null,
        new RegisteredDek(
            dek.kekName(),
            dek.subject(),
            dek.version(),
            dek.algorithm(),
            dek.encryptedKeyMaterial(),
            null,
            dek.ts(),
            nowDeleted),
        claimOffset);
  }

  /** This entity as an update of the claim at {@code offset}. */
  StoredEntity continuing(long offset) {
    return new StoredEntity(kek, dek, offset);
  }
}
