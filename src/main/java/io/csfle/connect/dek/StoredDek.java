package io.csfle.connect.dek;

import io.csfle.connect.store.RegisteredDek;
import java.util.Arrays;

/**
 * Which stored DEK a cached key came from, without its key material: the wrapped bytes and the
 * creation time. A DEK destroyed and created again under the same version (a forgotten entity that
 * comes back) differs in both; a re-wrap changes the wrapped bytes only, and costs one KMS call to
 * unwrap again.
 */
record StoredDek(byte[] wrapped, long ts) {
  static StoredDek of(RegisteredDek dek) {
    byte[] wrapped = dek.encryptedKeyMaterial();
    return new StoredDek(wrapped == null ? null : wrapped.clone(), dek.ts());
  }

  /** True when {@code dek} is the record this came from. */
  boolean sameAs(RegisteredDek dek) {
    return ts == dek.ts() && Arrays.equals(wrapped, dek.encryptedKeyMaterial());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredDek that && ts == that.ts && Arrays.equals(wrapped, that.wrapped);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(ts) + Arrays.hashCode(wrapped);
  }

  @Override
  public String toString() {
    return "StoredDek[ts=" + ts + "]";
  }
}
