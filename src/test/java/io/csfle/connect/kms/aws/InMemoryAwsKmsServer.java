package io.csfle.connect.kms.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fake AWS KMS speaking the JSON 1.1 protocol ({@code X-Amz-Target: TrentService.Encrypt} /
 * {@code Decrypt}) on 127.0.0.1. Keys are real AES-256-GCM keys; a blob is {@code u16 idLength ||
 * key ARN || IV(12) || ciphertext || tag}, with the ARN as associated data, so Decrypt can name the
 * key and detect {@code IncorrectKeyException}. Signatures are not verified, but the SigV4
 * Authorization header must be present and its access key id must be an allowed one.
 *
 * <p>As in AWS, a key ARN is only known in its own region: a request naming a key ARN of another
 * region than the one it is signed for finds no key. Multi-region keys ({@code key/mrk-...}) added
 * with {@link #addMultiRegionKey} share their key material with their replicas, and a blob of one
 * replica decrypts with any other.
 */
public final class InMemoryAwsKmsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREDENTIAL =
      Pattern.compile("Credential=([^/]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");
  private static final Pattern KEY_ARN = Pattern.compile("arn:([^:]+):kms:([^:]+):([^:]+):(.+)");

  /**
   * One request as received.
   *
   * @param operation {@code Encrypt} or {@code Decrypt}
   * @param region the region of the SigV4 credential scope
   * @param keyId the request's {@code KeyId}, {@code null} when absent
   */
  public record Call(String operation, String region, String keyId) {}

  private final HttpServer server;
  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();
  private final Set<String> allowedAccessKeyIds = ConcurrentHashMap.newKeySet();
  private final AtomicInteger throttleNext = new AtomicInteger();
  private volatile int failStatus;
  private volatile String failType;
  private final SecureRandom random = new SecureRandom();
  private volatile String lastRegion;
  private volatile String lastService;
  private volatile String lastAccessKeyId;
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  public InMemoryAwsKmsServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void addKey(String arn) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    keys.put(arn, key);
  }

  /**
   * Adds a multi-region key ({@code arn} must name an {@code mrk-} key) and its replicas in {@code
   * replicaRegions}, all with the same key material.
   */
  public void addMultiRegionKey(String arn, String... replicaRegions) {
    Matcher parts = KEY_ARN.matcher(arn);
    if (!parts.matches() || !parts.group(4).startsWith("key/mrk-")) {
      throw new IllegalArgumentException("not a multi-region key ARN: " + arn);
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    keys.put(arn, key);
    for (String region : replicaRegions) {
      keys.put(
          "arn:" + parts.group(1) + ":kms:" + region + ":" + parts.group(3) + ":" + parts.group(4),
          key);
    }
  }

  /** The Encrypt and Decrypt requests received so far, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  void addKey(String arn, byte[] keyBytes) {
    keys.put(arn, keyBytes.clone());
  }

  void disable(String arn) {
    disabled.add(arn);
  }

  public void allowAccessKeyId(String accessKeyId) {
    allowedAccessKeyIds.add(accessKeyId);
  }

  public void disallowAccessKeyId(String accessKeyId) {
    allowedAccessKeyIds.remove(accessKeyId);
  }

  void throttleNext(int requests) {
    throttleNext.set(requests);
  }

  /** Answers every request with this status and error type until cleared with status 0. */
  void failWith(int status, String type) {
    failType = type;
    failStatus = status;
  }

  /** The region of the SigV4 credential scope of the last request. */
  String lastRegion() {
    return lastRegion;
  }

  String lastService() {
    return lastService;
  }

  /** The access key id that signed the last request. */
  String lastAccessKeyId() {
    return lastAccessKeyId;
  }

  /** The blob format, exposed so a test can build golden values with a fixed IV. */
  static byte[] seal(String arn, byte[] key, byte[] iv, byte[] plaintext)
      throws GeneralSecurityException {
    byte[] id = arn.getBytes(StandardCharsets.UTF_8);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    cipher.updateAAD(id);
    byte[] body = cipher.doFinal(plaintext);
    return ByteBuffer.allocate(2 + id.length + iv.length + body.length)
        .putShort((short) id.length)
        .put(id)
        .put(iv)
        .put(body)
        .array();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType == null || !contentType.startsWith("application/x-amz-json-1.1")) {
        error(exchange, 400, "SerializationException", "unexpected content type " + contentType);
        return;
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      Matcher credential = authorization == null ? null : CREDENTIAL.matcher(authorization);
      if (credential == null || !credential.find()) {
        error(exchange, 400, "MissingAuthenticationTokenException", "Missing Authentication");
        return;
      }
      lastRegion = credential.group(2);
      lastService = credential.group(3);
      lastAccessKeyId = credential.group(1);
      String operation = target == null ? "" : target.replaceFirst("^TrentService\\.", "");
      calls.add(new Call(operation, credential.group(2), request.path("KeyId").asText(null)));
      if (!allowedAccessKeyIds.contains(credential.group(1))) {
        error(exchange, 400, "AccessDeniedException", "User is not authorized to use the key");
        return;
      }
      if (failStatus != 0) {
        error(exchange, failStatus, failType, "injected failure");
        return;
      }
      if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(exchange, 400, "ThrottlingException", "Rate exceeded");
        return;
      }
      if (!inRegion(request.path("KeyId").asText(null), credential.group(2))) {
        error(exchange, 400, "NotFoundException", "Key is not in the region of the request");
        return;
      }
      if ("TrentService.Encrypt".equals(target)) {
        encrypt(exchange, request);
      } else if ("TrentService.Decrypt".equals(target)) {
        decrypt(exchange, request);
      } else {
        error(exchange, 400, "UnknownOperationException", "unsupported " + target);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      error(exchange, 500, "KMSInternalException", e.toString());
    } finally {
      exchange.close();
    }
  }

  private void encrypt(HttpExchange exchange, JsonNode request)
      throws IOException, GeneralSecurityException {
    String arn = request.path("KeyId").asText();
    if (!usable(exchange, arn)) {
      return;
    }
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    byte[] plaintext = Base64.getDecoder().decode(request.path("Plaintext").asText());
    ObjectNode response = JSON.createObjectNode();
    response.put(
        "CiphertextBlob",
        Base64.getEncoder().encodeToString(seal(arn, keys.get(arn), iv, plaintext)));
    response.put("KeyId", arn);
    response.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    reply(exchange, 200, response);
  }

  private void decrypt(HttpExchange exchange, JsonNode request) throws IOException {
    ByteBuffer blob =
        ByteBuffer.wrap(Base64.getDecoder().decode(request.path("CiphertextBlob").asText()));
    String arn;
    byte[] iv = new byte[12];
    byte[] body;
    try {
      byte[] id = new byte[blob.getShort()];
      blob.get(id).get(iv);
      arn = new String(id, StandardCharsets.UTF_8);
      body = new byte[blob.remaining()];
      blob.get(body);
    } catch (RuntimeException e) {
      error(exchange, 400, "InvalidCiphertextException", "The ciphertext is invalid");
      return;
    }
    String requestedKey = request.path("KeyId").asText(null);
    if (requestedKey != null && !sameKey(requestedKey, arn)) {
      error(exchange, 400, "IncorrectKeyException", "The key ID in the request does not match");
      return;
    }
    if (!keys.containsKey(arn)) {
      error(exchange, 400, "InvalidCiphertextException", "The ciphertext is invalid");
      return;
    }
    if (!usable(exchange, requestedKey != null ? requestedKey : arn)) {
      return;
    }
    byte[] plaintext;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(keys.get(requestedKey != null ? requestedKey : arn), "AES"),
          new GCMParameterSpec(128, iv));
      cipher.updateAAD(arn.getBytes(StandardCharsets.UTF_8));
      plaintext = cipher.doFinal(body);
    } catch (GeneralSecurityException e) {
      error(exchange, 400, "InvalidCiphertextException", "The ciphertext is invalid");
      return;
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
    response.put("KeyId", arn);
    response.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    reply(exchange, 200, response);
  }

  /** A key ARN names a key of the region the request is signed for; other key ids are left be. */
  private static boolean inRegion(String keyId, String signedRegion) {
    Matcher parts = keyId == null ? null : KEY_ARN.matcher(keyId);
    return parts == null || !parts.matches() || parts.group(2).equals(signedRegion);
  }

  /** The same key, or replicas of one multi-region key (same partition, account and key id). */
  private static boolean sameKey(String requested, String sealedWith) {
    if (requested.equals(sealedWith)) {
      return true;
    }
    Matcher a = KEY_ARN.matcher(requested);
    Matcher b = KEY_ARN.matcher(sealedWith);
    return a.matches()
        && b.matches()
        && a.group(4).startsWith("key/mrk-")
        && a.group(1).equals(b.group(1))
        && a.group(3).equals(b.group(3))
        && a.group(4).equals(b.group(4));
  }

  private boolean usable(HttpExchange exchange, String arn) throws IOException {
    if (!keys.containsKey(arn)) {
      error(exchange, 400, "NotFoundException", "Key '" + arn + "' does not exist");
      return false;
    }
    if (disabled.contains(arn)) {
      error(exchange, 400, "DisabledException", arn + " is disabled.");
      return false;
    }
    return true;
  }

  private static void error(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("__type", type);
    body.put("message", message);
    reply(exchange, status, body);
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-" + System.nanoTime());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
