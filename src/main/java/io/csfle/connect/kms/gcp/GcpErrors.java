package io.csfle.connect.kms.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.remote.ScrubbedException;
import io.csfle.connect.remote.SecretScrubber;

/**
 * Maps Cloud KMS failures onto {@link Reason}s by their gRPC status code. Messages name the key and
 * what to check, with the status description (it names the permission), but only through {@link
 * SecretScrubber#serverText}: a server, or whatever answers in its place, can echo what it
 * received. For the same reason the gax exception is kept as cause only as a {@link
 * ScrubbedException}.
 */
final class GcpErrors {
  private GcpErrors() {}

  static KmsException classify(
      String operation, GcpKeyName key, ApiException raw, SecretScrubber scrubber) {
    StatusCode.Code code = raw.getStatusCode().getCode();
    String prefix = "gcp-kms " + operation + " with key " + key.name();
    String message = scrubber.serverText(raw.getMessage());
    String detail = " (" + code + ": " + message + ")";
    Throwable e = ScrubbedException.of(raw, scrubber);
    // Raised by the client itself when an answer passes the channel's inbound message cap.
    if (code == StatusCode.Code.RESOURCE_EXHAUSTED
        && String.valueOf(raw.getMessage()).contains("exceeds maximum size")) {
      return new KmsException(
          Reason.MISCONFIGURED,
          prefix
              + " got an answer larger than "
              + GcpKekProvider.MAX_ANSWER_BYTES
              + " bytes, which Cloud KMS never sends; check the endpoint",
          e);
    }
    return byStatus(code, operation, prefix, detail, e);
  }

  private static KmsException byStatus(
      StatusCode.Code code, String operation, String prefix, String detail, Throwable e) {
    switch (code) {
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
      case RESOURCE_EXHAUSTED:
      case INTERNAL:
      case ABORTED:
        return new KmsException(
            Reason.UNAVAILABLE,
            prefix + " failed: Cloud KMS is throttling or unavailable" + detail,
            e);
      case PERMISSION_DENIED:
      case UNAUTHENTICATED:
        return new KmsException(
            Reason.ACCESS_DENIED,
            prefix
                + " was denied; check that the credentials (client.email/private.key,"
                + " credentials.path or Application Default Credentials) hold"
                + " cloudkms.cryptoKeyVersions.useTo"
                + ("Encrypt".equals(operation) ? "Encrypt" : "Decrypt")
                + " on this key"
                + detail,
            e);
      case NOT_FOUND:
        return new KmsException(
            Reason.KEY_UNUSABLE, prefix + " failed: the key does not exist" + detail, e);
      case FAILED_PRECONDITION:
        return new KmsException(
            Reason.KEY_UNUSABLE,
            prefix + " failed: the key version is disabled or destroyed" + detail,
            e);
      case INVALID_ARGUMENT:
        if ("Decrypt".equals(operation)) {
          return new KmsException(
              Reason.INVALID_CIPHERTEXT,
              prefix
                  + " failed: the encryptedKeyMaterial was not produced by this key, or was"
                  + " altered"
                  + detail,
              e);
        }
        return new KmsException(Reason.MISCONFIGURED, prefix + " was rejected" + detail, e);
      default:
        return new KmsException(Reason.MISCONFIGURED, prefix + " was rejected" + detail, e);
    }
  }
}
