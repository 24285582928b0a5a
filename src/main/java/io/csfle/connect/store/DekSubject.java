package io.csfle.connect.store;

import io.csfle.connect.crypto.DekAlgorithm;
import java.util.Objects;

/**
 * Which DEK subject a store call is about: the KEK that wraps it, the subject name and the
 * algorithm. A store keeps the versions of a DEK under these three; every DEK call names them
 * together, so they travel as one value rather than three loose arguments.
 */
public record DekSubject(String kekName, String subject, DekAlgorithm algorithm) {

  public DekSubject {
    Objects.requireNonNull(kekName, "kekName");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(algorithm, "algorithm");
  }

  @Override
  public String toString() {
    return "DEK '" + subject + "' (" + algorithm + ") of KEK '" + kekName + "'";
  }
}
