package io.csfle.connect.kms.vault;

import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.remote.SecretScrubber;
import java.util.Locale;

/** Maps a failed Vault Transit reply to a {@link KmsException} whose reason says what to do. */
final class VaultErrors {

  private VaultErrors() {}

  /** Outages and throttling: 412 (standby not caught up), 429, and 5xx except 501. */
  static boolean isTransient(int status) {
    return status == 412 || status == 429 || (status >= 500 && status != 501);
  }

  /**
   * The exception for a non-200 reply.
   *
   * @param op {@code encrypt} or {@code decrypt}
   * @param scrubber removes the token (and AppRole secret id) from Vault's error text before it is
   *     cut, so that no part of a secret can survive the cut
   */
  static KmsException classify(
      VaultHttp.Reply reply, String op, VaultKeyUrl key, SecretScrubber scrubber) {
    int status = reply.status();
    String vaultSays = scrubber.serverText(reply.errors());
    String detail = " (HTTP " + status + (vaultSays.isEmpty() ? "" : ": " + vaultSays) + ")";
    String lower = vaultSays.toLowerCase(Locale.ROOT);
    String subject = "Vault Transit " + op + " with hcvault key " + key.keyUrl();
    if (reply.isRedirect()) {
      return redirected(subject, status, key);
    }
    if (isTransient(status)) {
      return new KmsException(Reason.UNAVAILABLE, subject + " is unavailable" + detail);
    }
    if (status == 401 || status == 403) {
      return new KmsException(
          Reason.ACCESS_DENIED,
          subject
              + " was denied"
              + detail
              + ": check the Vault token (token.id / VAULT_TOKEN or the AppRole), the namespace,"
              + " and that its policy grants update on "
              + key.mount()
              + "/"
              + op
              + "/"
              + key.keyName());
    }
    if (status == 404
        || lower.contains("key not found")
        || lower.contains("disallowed by policy")) {
      return new KmsException(
          Reason.KEY_UNUSABLE,
          subject
              + " failed: the transit mount or key does not exist, or the key version is no"
              + " longer allowed"
              + detail);
    }
    if (status == 400 && "decrypt".equals(op)) {
      return new KmsException(
          Reason.INVALID_CIPHERTEXT,
          subject
              + " failed: the encryptedKeyMaterial was not made by this key or was altered"
              + detail);
    }
    if (status == 400) {
      return new KmsException(Reason.KEY_UNUSABLE, subject + " failed" + detail);
    }
    return new KmsException(
        Reason.MISCONFIGURED,
        subject + " failed" + detail + ": check the key id and that Vault is initialized");
  }

  /**
   * A redirect (a standby node pointing at the active one, or a proxy): never followed, so that the
   * token goes only to the configured address. Location is not quoted: nobody configured it.
   */
  static KmsException redirected(String subject, int status, VaultKeyUrl key) {
    return new KmsException(
        Reason.MISCONFIGURED,
        subject
            + " was answered with a redirect (HTTP "
            + status
            + "); redirects are never followed so that the Vault token goes only to "
            + key.address()
            + ": point the key id at the active Vault node or at a load balancer that forwards");
  }
}
