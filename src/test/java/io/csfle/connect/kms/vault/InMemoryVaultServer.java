package io.csfle.connect.kms.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * A fake Vault speaking the Transit HTTP API on 127.0.0.1: encrypt/decrypt with real AES-256-GCM
 * ({@code vault:v1:} + base64(nonce(12) || ciphertext || tag)), token and AppRole auth, an optional
 * required namespace, and hooks to inject failures. Error replies use Vault's status codes and
 * {@code {"errors":[...]}} texts.
 */
public final class InMemoryVaultServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final String scheme;
  private final Set<String> mounts = ConcurrentHashMap.newKeySet();
  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Deque<Integer> injected = new ArrayDeque<>();
  private final List<String> namespacesSeen = new CopyOnWriteArrayList<>();
  private final AtomicInteger logins = new AtomicInteger();
  private final AtomicInteger transitCalls = new AtomicInteger();
  private volatile String roleId;
  private volatile String secretId;
  private volatile String requiredNamespace;

  public InMemoryVaultServer() throws IOException {
    this(null);
  }

  /** Serves HTTPS with the given server context, or plain HTTP when it is null. */
  InMemoryVaultServer(SSLContext tls) throws IOException {
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    if (tls == null) {
      server = HttpServer.create(loopback, 0);
    } else {
      HttpsServer https = HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    scheme = tls == null ? "http" : "https";
    server.createContext("/v1/", this::handle);
    server.start();
  }

  String address() {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The key id of a transit key on this server. */
  public String keyUrl(String mount, String name) {
    return address() + "/" + mount + "/keys/" + name;
  }

  public InMemoryVaultServer withKey(String mount, String name) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return withKey(mount, name, key);
  }

  InMemoryVaultServer withKey(String mount, String name, byte[] aes256Key) {
    mounts.add(mount);
    keys.put(mount + "/" + name, aes256Key.clone());
    return this;
  }

  public InMemoryVaultServer withToken(String token) {
    tokens.add(token);
    return this;
  }

  InMemoryVaultServer withAppRole(String roleId, String secretId) {
    this.roleId = roleId;
    this.secretId = secretId;
    return this;
  }

  /** Requests whose X-Vault-Namespace differs are denied, as Vault finds no such path. */
  public InMemoryVaultServer requireNamespace(String namespace) {
    this.requiredNamespace = namespace;
    return this;
  }

  void revokeAllTokens() {
    tokens.clear();
  }

  /** Decrypt with this key fails as when its min_decryption_version has passed v1. */
  void disableKey(String mount, String name) {
    disabled.add(mount + "/" + name);
  }

  /** The next {@code times} transit calls answer {@code status} before doing anything. */
  synchronized void failNext(int status, int times) {
    for (int i = 0; i < times; i++) {
      injected.add(status);
    }
  }

  int logins() {
    return logins.get();
  }

  public int transitCalls() {
    return transitCalls.get();
  }

  public List<String> namespacesSeen() {
    return namespacesSeen;
  }

  /** Encrypts as the server would, for tests that need a ciphertext made outside the provider. */
  String encrypt(String mount, String name, byte[] plaintext) throws GeneralSecurityException {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    return seal(keys.get(mount + "/" + name), nonce, plaintext);
  }

  static String seal(byte[] key, byte[] nonce, byte[] plaintext) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    byte[] body = cipher.doFinal(plaintext);
    byte[] out = new byte[nonce.length + body.length];
    System.arraycopy(nonce, 0, out, 0, nonce.length);
    System.arraycopy(body, 0, out, nonce.length, body.length);
    return "vault:v1:" + Base64.getEncoder().encodeToString(out);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String namespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
      namespacesSeen.add(String.valueOf(namespace));
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, errors("unsupported operation"));
        return;
      }
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      String path = exchange.getRequestURI().getRawPath().substring("/v1/".length());
      if (requiredNamespace != null && !requiredNamespace.equals(namespace)) {
        reply(exchange, 403, errors("permission denied"));
      } else if (path.equals("auth/approle/login")) {
        login(exchange, body);
      } else {
        transit(exchange, path, body);
      }
    }
  }

  private void login(HttpExchange exchange, JsonNode body) throws IOException {
    if (roleId == null
        || !roleId.equals(body.path("role_id").asText())
        || !secretId.equals(body.path("secret_id").asText())) {
      reply(exchange, 400, errors("invalid role or secret ID"));
      return;
    }
    String token = "hvs.approle-" + logins.incrementAndGet();
    tokens.add(token);
    reply(exchange, 200, Map.of("auth", Map.of("client_token", token, "lease_duration", 3600)));
  }

  private void transit(HttpExchange exchange, String path, JsonNode body) throws IOException {
    transitCalls.incrementAndGet();
    Integer status;
    synchronized (this) {
      status = injected.poll();
    }
    if (status != null) {
      reply(exchange, status, errors("injected failure"));
      return;
    }
    String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
    if (token == null || !tokens.contains(token)) {
      reply(exchange, 403, errors("permission denied"));
      return;
    }
    String[] parts = path.split("/");
    int n = parts.length;
    String mount = n < 3 ? "" : String.join("/", List.of(parts).subList(0, n - 2));
    String op = n < 3 ? "" : parts[n - 2];
    if (!mounts.contains(mount) || !(op.equals("encrypt") || op.equals("decrypt"))) {
      reply(exchange, 404, errors("no handler for route \"" + path + "\""));
      return;
    }
    byte[] key = keys.get(mount + "/" + parts[n - 1]);
    if (key == null) {
      reply(exchange, 400, errors("encryption key not found"));
    } else if (op.equals("encrypt")) {
      encrypt(exchange, key, body);
    } else if (disabled.contains(mount + "/" + parts[n - 1])) {
      reply(
          exchange,
          400,
          errors("ciphertext or signature version is disallowed by policy (too old)"));
    } else {
      decrypt(exchange, key, body);
    }
  }

  private void encrypt(HttpExchange exchange, byte[] key, JsonNode body) throws IOException {
    try {
      byte[] plaintext = Base64.getDecoder().decode(body.path("plaintext").asText());
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      String ciphertext = seal(key, nonce, plaintext);
      reply(exchange, 200, Map.of("data", Map.of("ciphertext", ciphertext, "key_version", 1)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      reply(exchange, 400, errors("failed to base64-decode plaintext"));
    }
  }

  private void decrypt(HttpExchange exchange, byte[] key, JsonNode body) throws IOException {
    String ciphertext = body.path("ciphertext").asText();
    if (!ciphertext.startsWith("vault:v1:")) {
      reply(exchange, 400, errors("invalid ciphertext: no prefix"));
      return;
    }
    try {
      byte[] raw = Base64.getDecoder().decode(ciphertext.substring("vault:v1:".length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, raw, 0, 12));
      byte[] plaintext = cipher.doFinal(raw, 12, raw.length - 12);
      reply(
          exchange,
          200,
          Map.of("data", Map.of("plaintext", Base64.getEncoder().encodeToString(plaintext))));
    } catch (IllegalArgumentException e) {
      reply(exchange, 400, errors("invalid ciphertext: could not decode base64"));
    } catch (GeneralSecurityException e) {
      reply(exchange, 400, errors("cipher: message authentication failed"));
    }
  }

  private static Map<String, Object> errors(String message) {
    return Map.of("errors", List.of(message));
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
