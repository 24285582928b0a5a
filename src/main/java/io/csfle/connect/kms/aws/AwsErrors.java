package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import java.io.IOException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps AWS SDK failures onto {@link Reason}s. Service errors are matched by their AWS error code
 * (the JSON {@code __type}), which is stable across SDK versions and covers codes KMS does not
 * model as classes ({@code AccessDeniedException}, signature errors). Messages name the key ARN and
 * what to check; the SDK's own message is kept because it names the IAM action and principal, and
 * never contains the secret access key.
 */
final class AwsErrors {
  private static final Set<String> ACCESS_DENIED_CODES =
      Set.of(
          "AccessDeniedException",
          "AccessDenied",
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "SignatureDoesNotMatch",
          "IncompleteSignature",
          "MissingAuthenticationToken",
          "InvalidClientTokenId",
          "ExpiredTokenException",
          "ExpiredToken");
  private static final Set<String> UNUSABLE_CODES =
      Set.of("NotFoundException", "DisabledException", "KMSInvalidStateException");
  private static final Set<String> INVALID_CIPHERTEXT_CODES =
      Set.of("InvalidCiphertextException", "IncorrectKeyException");
  private static final Set<String> UNAVAILABLE_CODES =
      Set.of(
          "KMSInternalException",
          "DependencyTimeoutException",
          "KeyUnavailableException",
          "ServiceUnavailable",
          "RequestTimeout");

  private AwsErrors() {}

  static KmsException classify(String operation, String keyArn, SdkException e) {
    if (e instanceof AwsServiceException service) {
      return classifyService(operation, keyArn, service);
    }
    if (e instanceof ApiCallTimeoutException
        || e instanceof ApiCallAttemptTimeoutException
        || hasIoCause(e)) {
      return new KmsException(
          Reason.UNAVAILABLE,
          "aws-kms "
              + operation
              + " with key "
              + keyArn
              + " could not reach KMS: "
              + e.getMessage(),
          e);
    }
    // Client-side failures without I/O are almost always unresolvable credentials.
    return new KmsException(
        Reason.ACCESS_DENIED,
        "aws-kms "
            + operation
            + " with key "
            + keyArn
            + " failed before reaching KMS; check the AWS credentials (access.key.id/"
            + "secret.access.key, profile, role.arn or the default chain): "
            + e.getMessage(),
        e);
  }

  private static KmsException classifyService(
      String operation, String keyArn, AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String detail = " (" + code + ", HTTP " + e.statusCode() + ": " + errorMessage(e) + ")";
    String prefix = "aws-kms " + operation + " with key " + keyArn;
    if (e.isThrottlingException() || UNAVAILABLE_CODES.contains(code) || e.statusCode() >= 500) {
      return new KmsException(
          Reason.UNAVAILABLE, prefix + " failed: KMS is throttling or unavailable" + detail, e);
    }
    if (ACCESS_DENIED_CODES.contains(code) || e.statusCode() == 403 || e.statusCode() == 401) {
      return new KmsException(
          Reason.ACCESS_DENIED,
          prefix
              + " was denied; check the IAM/key policy grants kms:"
              + operation
              + " on this key to the configured credentials"
              + detail,
          e);
    }
    if ("NotFoundException".equals(code)) {
      return new KmsException(
          Reason.KEY_UNUSABLE, prefix + " failed: the key does not exist" + detail, e);
    }
    if (UNUSABLE_CODES.contains(code)) {
      return new KmsException(
          Reason.KEY_UNUSABLE,
          prefix + " failed: the key is disabled or pending deletion" + detail,
          e);
    }
    if (INVALID_CIPHERTEXT_CODES.contains(code)) {
      return new KmsException(
          Reason.INVALID_CIPHERTEXT,
          prefix
              + " failed: the encryptedKeyMaterial was not produced by this key, or was altered"
              + detail,
          e);
    }
    return new KmsException(Reason.MISCONFIGURED, prefix + " was rejected by KMS" + detail, e);
  }

  private static String errorMessage(AwsServiceException e) {
    return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
