package io.csfle.connect.kms.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.csfle.connect.kms.CauseChain;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.remote.BodyTooLargeException;
import io.csfle.connect.remote.BoundedHttp;
import io.csfle.connect.remote.JdkWireLogs;
import io.csfle.connect.remote.ScrubbedException;
import io.csfle.connect.remote.SecretScrubber;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON POSTs to one Vault server with {@code java.net.http}: no SPI lookups and no reflection, so
 * it works under whatever thread context classloader the calling connector task has set. Transport
 * failures become {@link KmsException.Reason#UNAVAILABLE}; HTTP statuses are left to the caller.
 *
 * <p>Each POST returns within the request timeout, connect, headers and body included ({@link
 * BoundedHttp}); a Vault call ({@link VaultKek}) makes at most an AppRole login, the transit call,
 * a second login and a second transit call after a 403, so it returns within four request timeouts.
 * A 2xx body over {@link #LIMITS} (64 KiB: a transit answer for a DEK is under 1 KB, a login answer
 * with policies and metadata a few KB) is refused as a misbehaving server. Redirects are never
 * followed, so {@code X-Vault-Token} goes only to the configured address: the client must be built
 * with {@link HttpClient.Redirect#NEVER}.
 */
final class VaultHttp {
  private static final Logger log = LoggerFactory.getLogger(VaultHttp.class);

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final BoundedHttp.Limits LIMITS = new BoundedHttp.Limits(64 * 1024, 16 * 1024);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Vault reply: the status and the parsed body (a missing node when empty or not JSON). */
  record Reply(int status, JsonNode body) {

    /**
     * Vault's {@code errors} array joined: raw server text (bounded only by {@link #LIMITS}), for
     * {@link SecretScrubber#serverText} to scrub and cut before it goes into any message.
     */
    String errors() {
      StringBuilder joined = new StringBuilder();
      for (JsonNode error : body.path("errors")) {
        joined.append(joined.length() == 0 ? "" : "; ").append(error.asText());
      }
      return joined.toString();
    }

    boolean isRedirect() {
      return status >= 300 && status < 400;
    }
  }

  private final HttpClient http;
  private final String namespace;
  private final Duration requestTimeout;

  VaultHttp(HttpClient http, String namespace, Duration requestTimeout) {
    JdkWireLogs.keepQuiet();
    if (http.followRedirects() != HttpClient.Redirect.NEVER) {
      // A followed redirect would carry X-Vault-Token to wherever Location points.
      throw new IllegalArgumentException("A Vault HttpClient must never follow redirects");
    }
    this.http = http;
    this.namespace = namespace;
    this.requestTimeout = requestTimeout;
  }

  /**
   * POSTs a JSON object.
   *
   * @param token the {@code X-Vault-Token}, or null for a login call
   * @param what names the call and key for outage messages, e.g. "encrypt with hcvault key ..."
   * @param scrubber removes the token and other credentials from server text in failures
   */
  Reply post(
      URI uri, Map<String, String> body, String token, String what, SecretScrubber scrubber) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(toJson(body)));
    try {
      if (token != null) {
        request.header("X-Vault-Token", token);
      }
      if (namespace != null) {
        request.header("X-Vault-Namespace", namespace);
      }
    } catch (IllegalArgumentException e) {
      // The JDK's message quotes the header value: the token. Say which, never what.
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "The Vault token or namespace for "
              + what
              + " holds a character an HTTP header cannot carry (a line break, say); check"
              + " token.id / VAULT_TOKEN, the namespace, or the token the AppRole login returned");
    }
    HttpResponse<byte[]> response = send(request.build(), what, scrubber);
    return new Reply(response.statusCode(), parse(response.body()));
  }

  /** Sends within the bounds; every failure becomes a {@link KmsException} naming {@code what}. */
  private HttpResponse<byte[]> send(HttpRequest request, String what, SecretScrubber scrubber) {
    try {
      return BoundedHttp.send(http, request, requestTimeout, LIMITS);
    } catch (BodyTooLargeException e) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "Vault misbehaves: "
              + what
              + " answered with a body over the limit of "
              + e.limit()
              + " bytes (HTTP "
              + e.status()
              + "); refused without reading the rest. Check that the key id points at Vault");
    } catch (HttpTimeoutException e) {
      log.debug("Vault call timed out: {}: {}", what, e.getMessage());
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE,
          "Vault timed out: " + what + " (" + e.getMessage() + ")");
    } catch (IOException e) {
      String failure = e.getClass().getSimpleName() + ": " + scrubber.serverText(e.getMessage());
      log.debug("Vault call failed: {}: {}", what, failure);
      if (CauseChain.has(e, CertificateException.class)) {
        // Retrying cannot help: the server's certificate is not trusted or names another host.
        throw new KmsException(
            KmsException.Reason.MISCONFIGURED,
            "Vault's TLS certificate is not trusted: "
                + what
                + "; set ca.cert.path to the PEM file of the CA that signed it, and check that"
                + " the certificate names the host in the key id",
            ScrubbedException.of(e, scrubber));
      }
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE,
          "Cannot reach Vault: " + what + " (" + e.getClass().getSimpleName() + ")",
          ScrubbedException.of(e, scrubber));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KmsException(KmsException.Reason.UNAVAILABLE, "Interrupted: " + what, e);
    }
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
