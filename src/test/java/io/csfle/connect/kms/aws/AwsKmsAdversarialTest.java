package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.JsonKmsAdversarialContract;
import io.csfle.connect.kms.JsonKmsMisbehaviour.Dialect;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testing.MisbehavingHttpServer;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * aws-kms through the real AWS SDK against an endpoint that stalls, floods, garbles or echoes: the
 * {@link JsonKmsAdversarialContract}, with AWS KMS's JSON and its reasons.
 */
class AwsKmsAdversarialTest extends JsonKmsAdversarialContract {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String KEY_ARN =
      "arn:aws:kms:eu-west-3:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ACCESS_KEY_ID = "AKIAADVERSARIAL00001";
  private static final String SECRET = "adv3rs/SECRET+accessKey0123456789abcdefgh";

  /** AWS KMS's JSON 1.1: the error code in {@code __type}; a denial comes as a 400. */
  private static final Dialect AWS_JSON =
      new Dialect(
          "application/x-amz-json-1.1",
          "{\"CiphertextBlob\":",
          "{\"Plaintext\":",
          Base64.getEncoder(),
          "{\"__type\":\"%s\",\"message\":\"%s\"}",
          "ValidationException",
          400,
          "AccessDeniedException");

  static {
    leaks.secret(SECRET).keyBytes(DEK);
  }

  AwsKmsAdversarialTest() {
    super(leaks, AWS_JSON, 64, SECRET, SECRET, ACCESS_KEY_ID);
  }

  @Override
  protected Kek kek(MisbehavingHttpServer server) {
    AwsKekProvider provider =
        new AwsKekProvider(Duration.ofSeconds(1), Duration.ofSeconds(1), CALL_BOUND);
    return provider.create(
        KEY_ARN,
        Map.of(
            AwsKekProvider.ACCESS_KEY_ID, ACCESS_KEY_ID,
            AwsKekProvider.SECRET_ACCESS_KEY, SECRET,
            AwsKekProvider.ENDPOINT, server.url()));
  }

  @Override
  protected String keyId(MisbehavingHttpServer server) {
    return KEY_ARN;
  }

  /** AWS has no "key unusable" by status: a 404 is a wrong endpoint, so misconfigured. */
  @Override
  protected Reason expected(int status) {
    return switch (status) {
      case 403 -> Reason.ACCESS_DENIED;
      case 429, 500, 502 -> Reason.UNAVAILABLE;
      default -> Reason.MISCONFIGURED;
    };
  }
}
