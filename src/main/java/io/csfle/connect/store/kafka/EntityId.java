package io.csfle.connect.store.kafka;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekSubject;

/**
 * What one entry of the key topic is about: a KEK ({@code subject == null}) or one version of a
 * DEK. Every claim and every update of the same entity goes to the same partition, so that their
 * order is the log's order.
 */
record EntityId(String kekName, String subject, DekAlgorithm algorithm, int version) {

  static EntityId kek(String name) {
    return new EntityId(name, null, null, 0);
  }

  static EntityId dek(String kekName, String subject, DekAlgorithm algorithm, int version) {
    return new EntityId(kekName, subject, algorithm, version);
  }

  static EntityId dek(DekSubject dek, int version) {
    return new EntityId(dek.kekName(), dek.subject(), dek.algorithm(), version);
  }

  boolean isKek() {
    return subject == null;
  }

  /** True for every version of {@code dek}. */
  boolean isDekOf(DekSubject dek) {
    return !isKek()
        && kekName.equals(dek.kekName())
        && subject.equals(dek.subject())
        && algorithm == dek.algorithm();
  }

  @Override
  public String toString() {
    return isKek()
        ? "KEK '" + kekName + "'"
        : "DEK '"
            + subject
            + "' version "
            + version
            + " ("
            + algorithm
            + ") of KEK '"
            + kekName
            + "'";
  }
}
