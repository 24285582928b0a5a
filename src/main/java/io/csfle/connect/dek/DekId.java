package io.csfle.connect.dek;

import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.RegisteredDek;

/**
 * Which DEK version: for messages that must say which key a failure or a refused answer is about.
 *
 * @param version the version, or {@link #LATEST} when the latest one was asked for
 */
record DekId(DekSubject dekSubject, int version) {
  static final int LATEST = 0;

  static DekId latest(DekSubject dek) {
    return new DekId(dek, LATEST);
  }

  static DekId of(NewDek dek) {
    return new DekId(dek.dekSubject(), dek.version());
  }

  static DekId of(RegisteredDek dek) {
    return new DekId(dek.dekSubject(), dek.version());
  }

  @Override
  public String toString() {
    return "DEK '"
        + dekSubject.subject()
        + "' "
        + (version == LATEST ? "latest version" : "version " + version)
        + " ("
        + dekSubject.algorithm()
        + ") of KEK '"
        + dekSubject.kekName()
        + "'";
  }
}
