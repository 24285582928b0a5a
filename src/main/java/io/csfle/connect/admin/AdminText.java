package io.csfle.connect.admin;

import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;

/** How the key tool names KEKs and DEKs in its text output: ids, never key material. */
final class AdminText {
  private AdminText() {}

  /** "KEK 'name' (kmsType://kmsKeyId)". */
  static String kek(RegisteredKek kek) {
    return "KEK '" + kek.name() + "' (" + kek.kmsType() + "://" + kek.kmsKeyId() + ")";
  }

  /** "DEK 'subject' version N (ALGORITHM) under KEK 'name'". */
  static String dek(RegisteredDek dek) {
    return "DEK '"
        + dek.subject()
        + "' version "
        + dek.version()
        + " ("
        + dek.algorithm()
        + ") under KEK '"
        + dek.kekName()
        + "'";
  }
}
