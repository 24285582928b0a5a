package io.csfle.connect.dek;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.RegisteredDek;

/**
 * Which DEK: for messages that must say which key a failure or a refused answer is about.
 *
 * @param version the version, or {@link #LATEST} when the latest one was asked for
 */
record DekId(String kekName, String subject, int version, DekAlgorithm algorithm) {
  static final int LATEST = 0;

  static DekId latest(String kekName, String subject, DekAlgorithm algorithm) {
    return new DekId(kekName, subject, LATEST, algorithm);
  }

  static DekId of(String kekName, NewDek dek) {
    return new DekId(kekName, dek.subject(), dek.version(), dek.algorithm());
  }

  static DekId of(RegisteredDek dek) {
    return new DekId(dek.kekName(), dek.subject(), dek.version(), dek.algorithm());
  }

  @Override
  public String toString() {
    return "DEK '"
        + subject
        + "' "
        + (version == LATEST ? "latest version" : "version " + version)
        + " ("
        + algorithm
        + ") of KEK '"
        + kekName
        + "'";
  }
}
