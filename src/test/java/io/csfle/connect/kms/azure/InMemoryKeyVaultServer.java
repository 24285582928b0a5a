package io.csfle.connect.kms.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.csfle.connect.kms.ThrowawayCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * An in-process Azure Key Vault speaking the REST protocol the SDK's {@code CryptographyClient}
 * uses, over HTTPS with a throwaway certificate made by the JDK's keytool: the bearer challenge
 * (401 with {@code WWW-Authenticate} on an unauthenticated request), {@code GET /keys/NAME[/V]},
 * and {@code POST /keys/NAME[/V]/encrypt|decrypt} with RSA-OAEP-256 under real RSA key pairs. Error
 * bodies follow Key Vault's {@code {"error":{"code","message"}}} shape.
 */
final class InMemoryKeyVaultServer implements AutoCloseable {
  static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final Pattern KEY_PATH =
      Pattern.compile("/keys/([A-Za-z0-9-]+)(?:/([A-Za-z0-9]*))?(?:/(encrypt|decrypt))?/?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Version(String id, KeyPair pair) {}

  private static final class Key {
    final List<Version> versions = new CopyOnWriteArrayList<>();
    volatile boolean enabled = true;
  }

  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, Key> keys = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Set<String> forbiddenTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger throttled = new AtomicInteger();
  private volatile boolean publicNetworkDisabled;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  InMemoryKeyVaultServer() throws Exception {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ThrowawayCertificate.serverTls()));
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The PEM of the server certificate, for {@code ca.cert.path}. */
  static Path caPem() throws Exception {
    return ThrowawayCertificate.caPem();
  }

  String vaultUrl() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Creates a key (or a new version of it) and returns its version. */
  String addKeyVersion(String name) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    String version = HexFormat.of().formatHex(id);
    keys.computeIfAbsent(name, n -> new Key())
        .versions
        .add(new Version(version, generator.generateKeyPair()));
    return version;
  }

  /** Adds a key version with a given id and key pair, for golden ciphertexts. */
  void addKeyVersion(String name, String version, KeyPair pair) {
    keys.computeIfAbsent(name, n -> new Key()).versions.add(new Version(version, pair));
  }

  String keyId(String name, String version) {
    return vaultUrl() + "/keys/" + name + (version == null ? "" : "/" + version);
  }

  InMemoryKeyVaultServer allowToken(String token) {
    tokens.add(token);
    return this;
  }

  /** A token that authenticates but has no key permissions. */
  InMemoryKeyVaultServer forbidToken(String token) {
    forbiddenTokens.add(token);
    return this;
  }

  void throttleNext(int count) {
    throttled.set(count);
  }

  /** Answers every authenticated call as a vault whose public network access is off. */
  void disablePublicNetworkAccess() {
    publicNetworkDisabled = true;
  }

  void disable(String name) {
    keys.get(name).enabled = false;
  }

  List<String> requests() {
    return requests;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null) {
        exchange
            .getResponseHeaders()
            .add(
                "WWW-Authenticate",
                "Bearer authorization=\"https://login.microsoftonline.com/"
                    + TENANT
                    + "\", resource=\"https://vault.azure.net\"");
        error(exchange, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        return;
      }
      String token = authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
      if (forbiddenTokens.contains(token)) {
        error(
            exchange,
            403,
            "Forbidden",
            "The user, group or application 'appid=00000000-0000-0000-0000-000000000000' does not"
                + " have keys encrypt permission on key vault 'fake'.");
        return;
      }
      if (!tokens.contains(token)) {
        error(exchange, 401, "Unauthorized", "AKV10032: Invalid issuer.");
        return;
      }
      if (publicNetworkDisabled) {
        error(
            exchange,
            403,
            "Forbidden",
            "Public network access is disabled and request is not from a trusted service nor via"
                + " an approved private link.");
        return;
      }
      if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        exchange.getResponseHeaders().add("Retry-After", "0");
        error(exchange, 429, "Throttled", "Request was not processed because too many requests.");
        return;
      }
      Matcher matcher = KEY_PATH.matcher(path);
      if (!matcher.matches()) {
        error(exchange, 400, "BadParameter", "Unknown path " + path);
        return;
      }
      String name = matcher.group(1);
      String wanted =
          matcher.group(2) == null || matcher.group(2).isEmpty() ? null : matcher.group(2);
      String operation = matcher.group(3);
      Key key = keys.get(name);
      Version version = key == null ? null : find(key, wanted);
      if (version == null) {
        error(
            exchange,
            404,
            "KeyNotFound",
            "A key with (name/id) "
                + name
                + (wanted == null ? "" : "/" + wanted)
                + " was not found in this key vault.");
        return;
      }
      String kid = keyId(name, version.id());
      if (!key.enabled) {
        error(
            exchange,
            403,
            "Forbidden",
            "Operation "
                + (operation == null ? "get" : operation)
                + " is not allowed on a disabled key.");
        return;
      }
      if (operation == null) {
        json(
            exchange,
            200,
            Map.of(
                "key",
                Map.of(
                    "kid",
                    kid,
                    "kty",
                    "RSA",
                    "key_ops",
                    List.of("encrypt", "decrypt"),
                    "n",
                    b64(modulus(version)),
                    "e",
                    b64(new byte[] {1, 0, 1})),
                "attributes",
                Map.of("enabled", true)));
        return;
      }
      JsonNode request = JSON.readTree(body);
      if (!"RSA-OAEP-256".equals(request.path("alg").asText())) {
        error(exchange, 400, "BadParameter", "Unsupported algorithm " + request.path("alg"));
        return;
      }
      byte[] input = Base64.getUrlDecoder().decode(request.path("value").asText());
      byte[] output;
      try {
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
        OAEPParameterSpec oaep =
            new OAEPParameterSpec(
                "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
        if (operation.equals("encrypt")) {
          cipher.init(Cipher.ENCRYPT_MODE, version.pair().getPublic(), oaep);
        } else {
          cipher.init(Cipher.DECRYPT_MODE, version.pair().getPrivate(), oaep);
        }
        output = cipher.doFinal(input);
      } catch (GeneralSecurityException e) {
        error(exchange, 400, "BadParameter", "Invalid ciphertext.");
        return;
      }
      json(exchange, 200, Map.of("kid", kid, "value", b64(output)));
    } catch (RuntimeException e) {
      error(exchange, 500, "InternalServerError", String.valueOf(e));
    }
  }

  private static Version find(Key key, String wanted) {
    if (key.versions.isEmpty()) {
      return null;
    }
    if (wanted == null) {
      return key.versions.get(key.versions.size() - 1);
    }
    return key.versions.stream().filter(v -> v.id().equals(wanted)).findFirst().orElse(null);
  }

  private static byte[] modulus(Version version) {
    byte[] n =
        ((java.security.interfaces.RSAPublicKey) version.pair().getPublic())
            .getModulus()
            .toByteArray();
    return n[0] == 0 ? java.util.Arrays.copyOfRange(n, 1, n.length) : n;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    json(exchange, status, Map.of("error", Map.of("code", code, "message", message)));
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
