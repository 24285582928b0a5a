package io.csfle.connect.store;

import java.util.Objects;

/**
 * The body of a create-DEK (or re-wrap) request. The version is always explicit: some servers turn
 * a missing version into "max + 1", which lets two racing writers both win.
 *
 * @param encryptedKeyMaterial wrapped key proto, or {@code null} for a shared KEK (the server
 *     generates the key)
 */
public record NewDek(DekSubject dekSubject, int version, byte[] encryptedKeyMaterial) {

  public NewDek {
    Objects.requireNonNull(dekSubject, "dekSubject");
  }

  @Override
  public String toString() {
    return "NewDek[" + dekSubject + ", version=" + version + "]";
  }
}
