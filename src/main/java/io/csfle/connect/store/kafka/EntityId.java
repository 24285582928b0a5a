package io.csfle.connect.store.kafka;

import io.csfle.connect.crypto.DekAlgorithm;

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

  boolean isKek() {
    return subject == null;
  }

  /** True for every version of {@code subject} under {@code kekName} with {@code algorithm}. */
  boolean isDekOf(String kek, String dekSubject, DekAlgorithm dekAlgorithm) {
    return !isKek()
        && kekName.equals(kek)
        && subject.equals(dekSubject)
        && algorithm == dekAlgorithm;
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
