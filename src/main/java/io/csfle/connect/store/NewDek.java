package io.csfle.connect.store;

import io.csfle.connect.crypto.DekAlgorithm;

/**
 * The body of a create-DEK request. The version is always explicit: some servers turn a missing
 * version into "max + 1", which lets two racing writers both win.
 *
 * @param encryptedKeyMaterial wrapped key proto, or {@code null} for a shared KEK (the server
 *     generates the key)
 */
public record NewDek(
    String subject, int version, DekAlgorithm algorithm, byte[] encryptedKeyMaterial) {

  @Override
  public String toString() {
    return "NewDek[subject=" + subject + ", version=" + version + ", algorithm=" + algorithm + "]";
  }
}
