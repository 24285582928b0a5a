package io.csfle.connect.kms.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.remote.SecretScrubber;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Supplies the {@code X-Vault-Token}: either a fixed token, or one obtained by AppRole login and
 * cached until Vault refuses it. Thread-safe. Tokens and secret ids never appear in messages.
 */
abstract class VaultTokenSource {

  /** The token to send now. */
  abstract String token();

  /**
   * Called when Vault answered 403 to {@code rejected}; returns true when a fresh token may help
   * (so the caller should retry once).
   */
  abstract boolean refresh(String rejected);

  /**
   * Removes this source's secrets from server text: the fixed token, or the AppRole secret id and
   * every token a login has returned so far (an old token may still be echoed).
   */
  abstract SecretScrubber scrubber();

  static VaultTokenSource fixed(String token) {
    return new Fixed(token);
  }

  static VaultTokenSource appRole(
      VaultHttp http, VaultKeyUrl key, String mountPath, String roleId, String secretId) {
    return new AppRole(http, key, mountPath, roleId, secretId);
  }

  private static final class Fixed extends VaultTokenSource {
    private final String token;
    private final SecretScrubber scrubber;

    Fixed(String token) {
      this.token = token;
      this.scrubber = SecretScrubber.of(token);
    }

    @Override
    String token() {
      return token;
    }

    @Override
    boolean refresh(String rejected) {
      return false;
    }

    @Override
    SecretScrubber scrubber() {
      return scrubber;
    }
  }

  private static final class AppRole extends VaultTokenSource {
    private final VaultHttp http;
    private final VaultKeyUrl key;
    private final String mountPath;
    private final String roleId;
    private final String secretId;
    private String cached;
    private String previous;
    // The secret id, the current token and the one before (which Vault may still echo); replaced
    // at each login, read without the lock by callers building messages.
    private volatile SecretScrubber scrubber;

    AppRole(VaultHttp http, VaultKeyUrl key, String mountPath, String roleId, String secretId) {
      this.http = http;
      this.key = key;
      this.mountPath = mountPath;
      this.roleId = roleId;
      this.secretId = secretId;
      this.scrubber = SecretScrubber.of(secretId);
    }

    @Override
    synchronized String token() {
      if (cached == null) {
        cached = login();
      }
      return cached;
    }

    @Override
    synchronized boolean refresh(String rejected) {
      if (rejected.equals(cached)) {
        previous = cached;
        cached = null;
      }
      return true;
    }

    @Override
    SecretScrubber scrubber() {
      return scrubber;
    }

    private String login() {
      Map<String, String> body = new LinkedHashMap<>();
      body.put("role_id", roleId);
      body.put("secret_id", secretId);
      String what = "AppRole login at " + key.address() + " for hcvault key " + key.keyUrl();
      VaultHttp.Reply reply =
          http.post(key.api("auth/" + mountPath + "/login"), body, null, what, scrubber);
      JsonNode issued = reply.body().path("auth").path("client_token");
      String token = issued.isTextual() ? issued.asText() : "";
      if (reply.status() == 200 && !token.isEmpty()) {
        // Registered before it is ever sent, so that any echo of it is scrubbed. Older tokens are
        // dropped: a scrubber growing with every login would grow for the life of the task.
        scrubber = SecretScrubber.of(secretId, previous, token);
        return token;
      }
      if (reply.isRedirect()) {
        throw VaultErrors.redirected("Vault " + what, reply.status(), key);
      }
      String vaultSays = scrubber.serverText(reply.errors());
      KmsException.Reason reason =
          VaultErrors.isTransient(reply.status())
              ? KmsException.Reason.UNAVAILABLE
              : KmsException.Reason.ACCESS_DENIED;
      throw new KmsException(
          reason,
          "Vault refused the "
              + what
              + " (HTTP "
              + reply.status()
              + (vaultSays.isEmpty() ? "" : ": " + vaultSays)
              + "): check approle.role.id, approle.secret.id and that the secret id has not"
              + " expired");
    }
  }
}
