package io.csfle.connect.kms.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.csfle.connect.kms.KmsException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;

/**
 * JSON POSTs to one Vault server with {@code java.net.http}: no SPI lookups and no reflection, so
 * it works under whatever thread context classloader the calling connector task has set. Transport
 * failures become {@link KmsException.Reason#UNAVAILABLE}; HTTP statuses are left to the caller.
 */
final class VaultHttp {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Vault reply: the status and the parsed body (a missing node when empty or not JSON). */
  record Reply(int status, JsonNode body) {

    /** Vault's {@code errors} array joined, for messages; Vault never echoes tokens there. */
    String errors() {
      StringBuilder joined = new StringBuilder();
      for (JsonNode error : body.path("errors")) {
        joined.append(joined.length() == 0 ? "" : "; ").append(error.asText());
      }
      return joined.length() > 300 ? joined.substring(0, 300) + "..." : joined.toString();
    }
  }

  private final HttpClient http;
  private final String namespace;
  private final Duration requestTimeout;

  VaultHttp(HttpClient http, String namespace, Duration requestTimeout) {
    this.http = http;
    this.namespace = namespace;
    this.requestTimeout = requestTimeout;
  }

  /**
   * POSTs a JSON object.
   *
   * @param token the {@code X-Vault-Token}, or null for a login call
   * @param what names the call and key for outage messages, e.g. "encrypt with hcvault key ..."
   */
  Reply post(URI uri, Map<String, String> body, String token, String what) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(toJson(body)));
    if (token != null) {
      request.header("X-Vault-Token", token);
    }
    if (namespace != null) {
      request.header("X-Vault-Namespace", namespace);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE,
          "Vault timed out: " + what + " (" + e.getMessage() + ")");
    } catch (IOException e) {
      if (isUntrustedCertificate(e)) {
        // Retrying cannot help: the server's certificate is not trusted or names another host.
        throw new KmsException(
            KmsException.Reason.MISCONFIGURED,
            "Vault's TLS certificate is not trusted: "
                + what
                + "; set ca.cert.path to the PEM file of the CA that signed it, and check that"
                + " the certificate names the host in the key id",
            e);
      }
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE,
          "Cannot reach Vault: " + what + " (" + e.getClass().getSimpleName() + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KmsException(KmsException.Reason.UNAVAILABLE, "Interrupted: " + what, e);
    }
    return new Reply(response.statusCode(), parse(response.body()));
  }

  private static boolean isUntrustedCertificate(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  private static byte[] toJson(Map<String, String> body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("A map of strings always serializes", e);
    }
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? MissingNode.getInstance() : node;
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }
}
