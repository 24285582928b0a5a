package io.csfle.connect.kms.azure;

import com.azure.core.exception.HttpResponseException;
import io.csfle.connect.kms.CauseChain;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.remote.ScrubbedException;
import io.csfle.connect.remote.SecretScrubber;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Maps Azure SDK failures onto {@link Reason}s by HTTP status and Key Vault error code. Key Vault
 * answers 403 both for missing permissions and for operations on a disabled key; the message tells
 * them apart. Messages name the key id and what to check, with the service's message (it names the
 * missing permission or the key state), but only through {@link SecretScrubber#serverText}: a
 * server, or whatever answers in its place, can echo what it received. For the same reason Azure
 * exceptions, whose messages quote the answer body, are kept as causes only as {@link
 * ScrubbedException}s.
 */
final class AzureErrors {
  private AzureErrors() {}

  static KmsException classify(
      String operation, String keyId, RuntimeException e, SecretScrubber scrubber) {
    String prefix = "azure-kms " + operation + " with key " + keyId;
    if (e instanceof KmsException kms) {
      return kms;
    }
    Throwable cause = ScrubbedException.of(e, scrubber);
    String text = scrubber.serverText(e.getMessage());
    if (CauseChain.has(e, GuardedHttpClient.AnswerTooLargeException.class)) {
      return new KmsException(
          Reason.MISCONFIGURED,
          prefix
              + " got an answer larger than "
              + AzureKekProvider.MAX_ANSWER_BYTES
              + " bytes, which Key Vault never sends; check the key id's host",
          cause);
    }
    if (e instanceof HttpResponseException http && http.getResponse() != null) {
      int status = http.getResponse().getStatusCode();
      if (status >= 200 && status < 300) {
        return malformed(prefix, cause);
      }
      return classifyHttp(prefix, operation, status, text, cause);
    }
    return classifyWithoutAnswer(prefix, e, text, cause);
  }

  /**
   * A failure that carries no Key Vault HTTP status: TLS, the authentication challenge, an answer
   * that does not parse, I/O, or the credential's token.
   */
  private static KmsException classifyWithoutAnswer(
      String prefix, RuntimeException e, String text, Throwable cause) {
    if (CauseChain.has(e, SSLException.class)) {
      return new KmsException(
          Reason.MISCONFIGURED,
          prefix
              + " failed: the Key Vault TLS certificate is not trusted or does not match the host;"
              + " check ca.cert.path and the key id's host: "
              + text,
          cause);
    }
    if (String.valueOf(e.getMessage()).contains("does not match the requested domain")) {
      return new KmsException(
          Reason.MISCONFIGURED,
          prefix
              + " failed: Key Vault's authentication challenge names a resource outside the key"
              + " id's domain; use the vault's canonical URL (https://VAULT.vault.azure.net) in the"
              + " key id: "
              + text,
          cause);
    }
    if (CauseChain.hasClassNamed(e, "jackson")
        || CauseChain.hasClassNamed(e, ".json.")
        || isBadBase64(e)) {
      return malformed(prefix, cause);
    }
    if (CauseChain.has(e, IOException.class) || CauseChain.has(e, TimeoutException.class)) {
      return new KmsException(
          Reason.UNAVAILABLE,
          prefix + " could not reach Key Vault or got no complete answer in time: " + text,
          cause);
    }
    // Failures without a Key Vault answer or I/O: the credential could not produce a token.
    return new KmsException(
        Reason.ACCESS_DENIED,
        prefix
            + " failed before reaching Key Vault; check the Azure credentials (tenant.id/client.id/"
            + "client.secret or the default credential chain): "
            + text,
        cause);
  }

  private static KmsException malformed(String prefix, Throwable cause) {
    return new KmsException(
        Reason.MISCONFIGURED,
        prefix
            + " got an answer that is not a Key Vault answer (not the expected JSON); check the"
            + " key id's host",
        cause);
  }

  private static KmsException classifyHttp(
      String prefix, String operation, int status, String message, Throwable e) {
    String lower = String.valueOf(message).toLowerCase(Locale.ROOT);
    String detail = " (HTTP " + status + ": " + message + ")";
    if (status == 429 || status == 408 || status >= 500) {
      return new KmsException(
          Reason.UNAVAILABLE,
          prefix + " failed: Key Vault is throttling or unavailable" + detail,
          e);
    }
    if (status >= 300 && status < 400) {
      return new KmsException(
          Reason.MISCONFIGURED,
          prefix
              + " was redirected (HTTP "
              + status
              + "), which Key Vault never does; check the key id's host",
          e);
    }
    if (status == 404 || lower.contains("keynotfound")) {
      return new KmsException(
          Reason.KEY_UNUSABLE,
          prefix + " failed: the key or key version does not exist in this vault" + detail,
          e);
    }
    // "Operation decrypt is not allowed on a disabled key." -- but not "Public network access is
    // disabled ..." (ForbiddenByConnection), which is a network-access denial.
    if (status == 403
        && (lower.contains("disabled key")
            || lower.contains("keydisabled")
            || lower.contains("is not allowed on a"))) {
      return new KmsException(
          Reason.KEY_UNUSABLE,
          prefix + " failed: the key is disabled, expired or not yet valid" + detail,
          e);
    }
    if (status == 401 || status == 403) {
      return new KmsException(
          Reason.ACCESS_DENIED,
          prefix
              + " was denied; check that the credentials are valid and that the access policy or"
              + " RBAC role grants keys/"
              + operation
              + " on this key"
              + detail,
          e);
    }
    if (status == 400 && "decrypt".equals(operation)) {
      return new KmsException(
          Reason.INVALID_CIPHERTEXT,
          prefix
              + " failed: the encryptedKeyMaterial was not produced by this key, or was altered"
              + detail,
          e);
    }
    return new KmsException(
        Reason.MISCONFIGURED, prefix + " was rejected by Key Vault" + detail, e);
  }

  /** The answer's value is not base64url: the SDK's decoder throws for it. */
  private static boolean isBadBase64(Throwable e) {
    return CauseChain.anyMatch(
        e,
        t ->
            t instanceof IllegalArgumentException
                && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("base64"));
  }
}
