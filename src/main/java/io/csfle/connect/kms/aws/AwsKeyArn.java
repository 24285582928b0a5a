package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.KmsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KMS key or alias ARN, {@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID} or {@code
 * ...:alias/NAME}. Confluent's clients take the region from the ARN, so a bare key id or alias name
 * (which would need a region from elsewhere) is rejected.
 */
record AwsKeyArn(String arn, String region) {
  static final String EXPECTED_FORM = "arn:aws:kms:REGION:ACCOUNT:key/ID (or an alias ARN)";

  private static final Pattern ARN =
      Pattern.compile("arn:aws[a-z-]*:kms:([a-z0-9-]+):(\\d{12}):(key|alias)/[A-Za-z0-9/_+=.@-]+");

  static AwsKeyArn parse(String kmsKeyId) {
    Matcher matcher = kmsKeyId == null ? null : ARN.matcher(kmsKeyId.trim());
    if (matcher == null || !matcher.matches()) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "aws-kms key id '"
              + kmsKeyId
              + "' is not a KMS key ARN; expected "
              + EXPECTED_FORM
              + ", from which the region is taken");
    }
    return new AwsKeyArn(kmsKeyId.trim(), matcher.group(1));
  }
}
