package io.csfle.connect.registry.kafka;

import io.csfle.connect.registry.RegisteredDek;
import io.csfle.connect.registry.RegisteredKek;

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

  /** This entity as an update of the claim at {@code offset}. */
  StoredEntity continuing(long offset) {
    return new StoredEntity(kek, dek, offset);
  }
}
