package io.csfle.connect.kms.vault;

import io.csfle.connect.kms.KmsException;
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

  /** Whether {@code text} contains a secret of this source; for scrubbing messages. */
  abstract boolean leaks(String text);

  static VaultTokenSource fixed(String token) {
    return new Fixed(token);
  }

  static VaultTokenSource appRole(
      VaultHttp http, VaultKeyUrl key, String mountPath, String roleId, String secretId) {
    return new AppRole(http, key, mountPath, roleId, secretId);
  }

  private static final class Fixed extends VaultTokenSource {
    private final String token;

    Fixed(String token) {
      this.token = token;
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
    boolean leaks(String text) {
      return text != null && text.contains(token);
    }
  }

  private static final class AppRole extends VaultTokenSource {
    private final VaultHttp http;
    private final VaultKeyUrl key;
    private final String mountPath;
    private final String roleId;
    private final String secretId;
    private String cached;

    AppRole(VaultHttp http, VaultKeyUrl key, String mountPath, String roleId, String secretId) {
      this.http = http;
      this.key = key;
      this.mountPath = mountPath;
      this.roleId = roleId;
      this.secretId = secretId;
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
        cached = null;
      }
      return true;
    }

    @Override
    synchronized boolean leaks(String text) {
      return text != null && (text.contains(secretId) || (cached != null && text.contains(cached)));
    }

    private String login() {
      Map<String, String> body = new LinkedHashMap<>();
      body.put("role_id", roleId);
      body.put("secret_id", secretId);
      String what = "AppRole login at " + key.address() + " for hcvault key " + key.keyUrl();
      VaultHttp.Reply reply = http.post(key.api("auth/" + mountPath + "/login"), body, null, what);
      String token = reply.body().path("auth").path("client_token").asText("");
      if (reply.status() == 200 && !token.isEmpty()) {
        return token;
      }
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
              + "): check approle.role.id, approle.secret.id and that the secret id has not"
              + " expired");
    }
  }
}
