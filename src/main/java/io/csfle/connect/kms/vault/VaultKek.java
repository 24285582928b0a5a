package io.csfle.connect.kms.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekAnswers;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.remote.SecretScrubber;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A Vault Transit key as a KEK. {@code encryptedKeyMaterial} is the UTF-8 of Vault's {@code
 * vault:vN:...} ciphertext string, as Confluent's clients store it; no context is sent (empty
 * associated data, non-derived keys).
 */
final class VaultKek implements Kek {
  private static final String PREFIX = "vault:";

  private final VaultKeyUrl key;
  private final VaultHttp http;
  private final VaultTokenSource tokens;

  VaultKek(VaultKeyUrl key, VaultHttp http, VaultTokenSource tokens) {
    this.key = key;
    this.http = http;
    this.tokens = tokens;
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    String plaintext = Base64.getEncoder().encodeToString(keyMaterial);
    // Vault may echo the request body, which holds the DEK: scrub it from any error text too.
    VaultHttp.Reply reply =
        call("encrypt", Map.of("plaintext", plaintext), KekAnswers.scrubberFor(keyMaterial));
    String ciphertext = text(reply, "ciphertext");
    if (!ciphertext.startsWith(PREFIX)) {
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE,
          "Vault Transit encrypt with hcvault key " + key.keyUrl() + " returned no ciphertext");
    }
    return KekAnswers.checkWrapped(
        "Vault Transit encrypt with hcvault key " + key.keyUrl(),
        keyMaterial,
        ciphertext.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    String ciphertext = new String(encryptedKeyMaterial, StandardCharsets.UTF_8);
    if (!ciphertext.startsWith(PREFIX)) {
      throw new KmsException(
          KmsException.Reason.INVALID_CIPHERTEXT,
          "The encryptedKeyMaterial is not a Vault Transit ciphertext (no 'vault:' prefix);"
              + " it was not wrapped by hcvault key "
              + key.keyUrl());
    }
    VaultHttp.Reply reply = call("decrypt", Map.of("ciphertext", ciphertext), SecretScrubber.NONE);
    String plaintext = text(reply, "plaintext");
    try {
      if (!plaintext.isEmpty()) {
        return KekAnswers.checkUnwrapped(
            "Vault Transit decrypt with hcvault key " + key.keyUrl(),
            Base64.getDecoder().decode(plaintext));
      }
    } catch (IllegalArgumentException e) {
      // fall through: Vault's reply is malformed; say so without echoing it
    }
    throw new KmsException(
        KmsException.Reason.UNAVAILABLE,
        "Vault Transit decrypt with hcvault key " + key.keyUrl() + " returned no plaintext");
  }

  /**
   * One transit call; a 403 with an AppRole token is retried once after a fresh login. Server text
   * is scrubbed of the tokens (taken after each login, so a fresh token is known) and of {@code
   * bodySecrets}, the forms of what the request body carries.
   */
  private VaultHttp.Reply call(String op, Map<String, String> body, SecretScrubber bodySecrets) {
    String what = op + " with hcvault key " + key.keyUrl();
    String token = tokens.token();
    SecretScrubber scrubber = tokens.scrubber().and(bodySecrets);
    VaultHttp.Reply reply = http.post(key.operation(op), body, token, what, scrubber);
    if (reply.status() == 403 && tokens.refresh(token)) {
      token = tokens.token();
      scrubber = tokens.scrubber().and(bodySecrets);
      reply = http.post(key.operation(op), body, token, what, scrubber);
    }
    if (reply.status() != 200) {
      throw VaultErrors.classify(reply, op, key, scrubber);
    }
    return reply;
  }

  /**
   * {@code data.<field>} when it is a JSON string, else "": {@code asText} would turn an object or
   * an array into "", which for a plaintext would decode to an empty key.
   */
  private static String text(VaultHttp.Reply reply, String field) {
    JsonNode value = reply.body().path("data").path(field);
    return value.isTextual() ? value.asText() : "";
  }

  @Override
  public String toString() {
    return "VaultKek[" + key.keyUrl() + "]";
  }
}
