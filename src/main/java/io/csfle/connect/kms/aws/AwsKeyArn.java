package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.KmsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KMS key or alias ARN, {@code arn:PARTITION:kms:REGION:ACCOUNT:key/ID} or {@code
 * ...:alias/NAME}. Confluent's clients take the region from the ARN, so a bare key id or alias name
 * (which would need a region from elsewhere) is rejected.
 *
 * <p>Parsing is strict because the ARN usually comes from the DEK registry, which this worker does
 * not control, and because the region it names decides where requests go: every part must have the
 * form AWS gives it (a key id is a UUID or a multi-region {@code mrk-} id of 32 hex digits, a
 * region is like {@code us-east-1}), so nothing derived from a malformed ARN is ever sent.
 *
 * @param arn the ARN as it is sent to KMS
 * @param partition {@code aws}, {@code aws-cn}, ...
 * @param region the region of the ARN, where the key is used
 * @param account the 12-digit account id
 * @param resource {@code key/ID} or {@code alias/NAME}
 */
record AwsKeyArn(String arn, String partition, String region, String account, String resource) {
  static final String EXPECTED_FORM =
      "arn:aws:kms:REGION:ACCOUNT:key/ID (ID a key id or an mrk- multi-region key id),"
          + " or arn:aws:kms:REGION:ACCOUNT:alias/NAME";

  /** AWS partitions: aws, aws-cn, aws-us-gov, aws-iso-b, ... */
  private static final String PARTITION = "aws(?:-[a-z]{1,10}){0,2}";

  /** AWS regions: us-east-1, eu-central-2, us-gov-west-1, us-isob-east-1, ... */
  static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]{1,10}){1,3}-[1-9][0-9]?");

  private static final String KEY_ID =
      "key/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
  private static final String ALIAS = "alias/[A-Za-z0-9/_-]{1,250}";
  private static final Pattern ARN =
      Pattern.compile(
          "arn:("
              + PARTITION
              + "):kms:("
              + REGION.pattern()
              + "):([0-9]{12}):("
              + KEY_ID
              + "|"
              + ALIAS
              + ")");

  /** At most this much of a refused key id is quoted in the error. */
  private static final int QUOTED_LENGTH = 160;

  static AwsKeyArn parse(String kmsKeyId) {
    Matcher matcher = kmsKeyId == null ? null : ARN.matcher(kmsKeyId.trim());
    if (matcher == null || !matcher.matches()) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "aws-kms key id '"
              + quoted(kmsKeyId)
              + "' is not a KMS key ARN; expected "
              + EXPECTED_FORM
              + ", from which the region is taken");
    }
    return new AwsKeyArn(
        kmsKeyId.trim(), matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
  }

  /** True for a multi-region key ({@code key/mrk-...}); an alias is never one. */
  boolean isMultiRegion() {
    return resource.startsWith("key/mrk-");
  }

  /** The same key in {@code otherRegion}: a multi-region key's replica there. */
  AwsKeyArn inRegion(String otherRegion) {
    if (!isMultiRegion()) {
      throw new IllegalStateException("only a multi-region key has replicas in other regions");
    }
    if (!REGION.matcher(otherRegion).matches()) {
      throw new IllegalArgumentException("not a region");
    }
    String replica = "arn:" + partition + ":kms:" + otherRegion + ":" + account + ":" + resource;
    return new AwsKeyArn(replica, partition, otherRegion, account, resource);
  }

  /** Printable, cut short: the text may come from a registry and is only quoted to be fixed. */
  static String quoted(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < QUOTED_LENGTH; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return text.length() > QUOTED_LENGTH ? out + "..." : out.toString();
  }
}
