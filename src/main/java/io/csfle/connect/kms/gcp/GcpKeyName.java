package io.csfle.connect.kms.gcp;

import io.csfle.connect.kms.KmsException;
import java.util.regex.Pattern;

/** A Cloud KMS crypto key name, {@code projects/P/locations/L/keyRings/R/cryptoKeys/K}. */
record GcpKeyName(String name) {
  static final String EXPECTED_FORM =
      "projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY";

  private static final Pattern NAME =
      Pattern.compile(
          "projects/[a-z0-9.:-]+/locations/[a-z0-9-]+/keyRings/[A-Za-z0-9_-]+"
              + "/cryptoKeys/[A-Za-z0-9_-]+");

  static GcpKeyName parse(String kmsKeyId) {
    String name = kmsKeyId == null ? "" : kmsKeyId.trim();
    if (!NAME.matcher(name).matches()) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "gcp-kms key id '"
              + kmsKeyId
              + "' is not a Cloud KMS key name; expected "
              + EXPECTED_FORM);
    }
    return new GcpKeyName(name);
  }
}
