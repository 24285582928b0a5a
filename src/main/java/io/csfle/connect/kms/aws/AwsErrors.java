package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.CauseChain;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.remote.ScrubbedException;
import io.csfle.connect.remote.SecretScrubber;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps AWS SDK failures onto {@link Reason}s. Service errors are matched by their AWS error code
 * (the JSON {@code __type}), which is stable across SDK versions and covers codes KMS does not
 * model as classes ({@code AccessDeniedException}, signature errors). Messages name the key ARN and
 * what to check, with the server's code and message (it names the IAM action and principal), but
 * only through {@link SecretScrubber#serverText}: a server, or whatever answers in its place, can
 * echo what it received. For the same reason the SDK exception, whose message quotes the server, is
 * kept as cause only as a {@link ScrubbedException}.
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

  /** What an AWS error code looks like; anything else is shown as unrecognized. */
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:#-]{1,64}");

  private AwsErrors() {}

  static KmsException classify(
      String operation, String keyArn, SdkException e, SecretScrubber scrubber) {
    String prefix = "aws-kms " + operation + " with key " + keyArn;
    Throwable cause = ScrubbedException.of(e, scrubber);
    if (e instanceof AwsServiceException service) {
      return classifyService(operation, prefix, service, scrubber, cause);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new KmsException(
          Reason.UNAVAILABLE,
          prefix + " got no complete answer from KMS in time (connect, headers and body)",
          cause);
    }
    if (CauseChain.has(e, GuardedHttpClient.AnswerTooLargeException.class)) {
      return new KmsException(
          Reason.MISCONFIGURED,
          prefix
              + " got an answer larger than "
              + AwsKekProvider.MAX_ANSWER_BYTES
              + " bytes, which no KMS sends; check the endpoint",
          cause);
    }
    // Before I/O: the JSON parser's exceptions are IOExceptions too.
    if (CauseChain.hasClassNamed(e, "jackson")) {
      return malformed(prefix, cause);
    }
    if (CauseChain.has(e, IOException.class)) {
      return new KmsException(
          Reason.UNAVAILABLE,
          prefix
              + " could not reach KMS or lost the connection: "
              + scrubber.serverText(e.getMessage()),
          cause);
    }
    if (isMalformedAnswer(e)) {
      return malformed(prefix, cause);
    }
    // Client-side failures without I/O are almost always unresolvable credentials.
    return new KmsException(
        Reason.ACCESS_DENIED,
        prefix
            + " failed before reaching KMS; check the AWS credentials (access.key.id/"
            + "secret.access.key, profile, role.arn or the default chain): "
            + scrubber.serverText(e.getMessage()),
        cause);
  }

  private static KmsException malformed(String prefix, Throwable cause) {
    return new KmsException(
        Reason.MISCONFIGURED,
        prefix
            + " got an answer that is not a KMS answer (not the expected JSON); check the endpoint",
        cause);
  }

  private static KmsException classifyService(
      String operation,
      String prefix,
      AwsServiceException e,
      SecretScrubber scrubber,
      Throwable cause) {
    String rawCode = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String code = rawCode != null && CODE.matcher(rawCode).matches() ? rawCode : null;
    int status = e.statusCode();
    String detail =
        " ("
            + (code == null ? "unrecognized error" : code)
            + ", HTTP "
            + status
            + ": "
            + scrubber.serverText(errorMessage(e))
            + ")";
    if (e.isThrottlingException()
        || (code != null && UNAVAILABLE_CODES.contains(code))
        || status >= 500) {
      return new KmsException(
          Reason.UNAVAILABLE, prefix + " failed: KMS is throttling or unavailable" + detail, cause);
    }
    if (status >= 300 && status < 400) {
      return new KmsException(
          Reason.MISCONFIGURED,
          prefix
              + " was redirected (HTTP "
              + status
              + "), which KMS never does; check the endpoint",
          cause);
    }
    if ((code != null && ACCESS_DENIED_CODES.contains(code)) || status == 403 || status == 401) {
      return new KmsException(
          Reason.ACCESS_DENIED,
          prefix
              + " was denied; check the IAM/key policy grants kms:"
              + operation
              + " on this key to the configured credentials"
              + detail,
          cause);
    }
    if ("NotFoundException".equals(code)) {
      return new KmsException(
          Reason.KEY_UNUSABLE, prefix + " failed: the key does not exist" + detail, cause);
    }
    if ((code != null && UNUSABLE_CODES.contains(code))) {
      return new KmsException(
          Reason.KEY_UNUSABLE,
          prefix + " failed: the key is disabled or pending deletion" + detail,
          cause);
    }
    if ((code != null && INVALID_CIPHERTEXT_CODES.contains(code))) {
      return new KmsException(
          Reason.INVALID_CIPHERTEXT,
          prefix
              + " failed: the encryptedKeyMaterial was not produced by this key, or was altered"
              + detail,
          cause);
    }
    return new KmsException(Reason.MISCONFIGURED, prefix + " was rejected by KMS" + detail, cause);
  }

  private static String errorMessage(AwsServiceException e) {
    return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
  }

  /** The SDK received an answer but could not read it (a value of the wrong type or form). */
  private static boolean isMalformedAnswer(Throwable e) {
    return CauseChain.anyMatch(
        e,
        t -> {
          String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
          return t instanceof IllegalArgumentException
              || message.contains("unmarshall")
              || message.contains("parse");
        });
  }
}
