package io.csfle.connect.store;

import io.csfle.connect.crypto.DekAlgorithm;

/**
 * A DEK as the registry holds it: identified by KEK name, subject, version and algorithm.
 *
 * @param encryptedKeyMaterial the key proto wrapped by the KEK; may be {@code null} for a shared
 *     KEK whose server keeps it to itself
 * @param keyMaterial the plaintext key proto, only ever returned for shared KEKs; {@code null}
 *     otherwise. Never logged: {@link #toString()} leaves both key fields out.
 * @param ts server time of creation, epoch milliseconds
 */
public record RegisteredDek(
    String kekName,
    String subject,
    int version,
    DekAlgorithm algorithm,
    byte[] encryptedKeyMaterial,
    byte[] keyMaterial,
    long ts,
    boolean deleted) {

  /** The KEK, subject and algorithm of this DEK. */
  public DekSubject dekSubject() {
    return new DekSubject(kekName, subject, algorithm);
  }

  @Override
  public String toString() {
    return "RegisteredDek[kekName="
        + kekName
        + ", subject="
        + subject
        + ", version="
        + version
        + ", algorithm="
        + algorithm
        + ", ts="
        + ts
        + ", deleted="
        + deleted
        + "]";
  }
}
