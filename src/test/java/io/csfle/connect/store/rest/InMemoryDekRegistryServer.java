package io.csfle.connect.store.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.rest.InMemoryDekRegistryEntities.ApiError;
import io.csfle.connect.store.rest.InMemoryDekRegistryRoutes.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * An in-process DEK Registry on {@code 127.0.0.1} and a free port, speaking Confluent's REST API
 * with real status codes and {@code {"error_code":..,"message":..}} bodies, in the flavour of
 * {@link Mode#CONFLUENT} or {@link Mode#AXONOPS} (every difference in section 6 of {@code
 * CONFLUENT_COMPAT.md}, see {@link InMemoryDekRegistryStore}). Test hooks record requests, inject
 * failures and delays, require credentials, remove the per-subject POST, and hold create-DEK
 * requests so racing writers can be lined up. {@link #close()} stops it; its URL then refuses
 * connections, which is how failover is tested.
 */
public final class InMemoryDekRegistryServer implements AutoCloseable {
  private static final String PREFIX = "/dek-registry/v1/keks";
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes headers and body separately; with Nagle on, the client's delayed ACK
    // adds ~40 ms to every exchange. Read once, when the first HttpServer of the JVM is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Which server's behaviour to reproduce. */
  public enum Mode {
    CONFLUENT,
    AXONOPS
  }

  /**
   * One request as received. {@code path} and {@code query} are raw (still percent-encoded); the
   * body is the JSON text (test keys only); header values are null when absent.
   */
  public record RecordedRequest(
      String method,
      String path,
      String query,
      String body,
      String authorization,
      String contentType,
      String accept) {

    /** True when the raw query string contains {@code param} (e.g. {@code "deleted=true"}). */
    public boolean hasQueryParam(String param) {
      return query != null && List.of(query.split("&")).contains(param);
    }
  }

  private final Mode mode;
  private final HttpServer server;
  private final ExecutorService executor;
  private final InMemoryDekRegistryStore store;
  private final InMemoryDekRegistryRoutes routes;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger delaysLeft = new AtomicInteger();
  private volatile int failureStatus;
  private volatile Duration delay = Duration.ZERO;
  private volatile String requiredAuthorization;
  private volatile boolean rejectSubjectDekPost;
  private volatile boolean scrambleErrorCodes;
  private volatile DekCreatePause pause;
  private volatile boolean running;
  private volatile UnaryOperator<ObjectNode> answerRewrite = UnaryOperator.identity();
  private volatile InMemorySchemaRegistry schemas;

  private InMemoryDekRegistryServer(Mode mode) throws IOException {
    this.mode = mode;
    this.store = new InMemoryDekRegistryStore(mode);
    this.routes = new InMemoryDekRegistryRoutes(mode, store);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "in-memory-dek-registry-" + mode);
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** Starts a server on 127.0.0.1 and a free port. */
  public static InMemoryDekRegistryServer start(Mode mode) {
    try {
      InMemoryDekRegistryServer s = new InMemoryDekRegistryServer(Objects.requireNonNull(mode));
      s.server.start();
      s.running = true;
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the in-memory DEK registry", e);
    }
  }

  public Mode mode() {
    return mode;
  }

  /** {@code http://127.0.0.1:PORT}; still answers (with a refused connection) after close. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public boolean isRunning() {
    return running;
  }

  /** Stops listening at once; held and sleeping handlers are released. Idempotent. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    DekCreatePause current = pause;
    if (current != null) {
      current.release();
    }
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- observation ----

  public int requestCount() {
    return requests.size();
  }

  /** Requests with this method and raw (still percent-encoded) path, query not compared. */
  public int requestCount(String method, String rawPath) {
    return (int)
        requests.stream().filter(r -> r.method.equals(method) && r.path.equals(rawPath)).count();
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  // ---- faults ----

  /** The next {@code count} requests (any path) answer {@code status} without being applied. */
  public void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /**
   * The next {@code count} requests are applied at once but answered only after {@code delay}: a
   * client that times out cannot know its request took effect.
   */
  public void delayNext(int count, Duration delay) {
    this.delay = delay;
    delaysLeft.set(count);
  }

  /**
   * Answers 405 to {@code POST .../deks/{subject}}, like servers that only route {@code .../deks}.
   */
  public void rejectDekPostOnSubjectPath(boolean reject) {
    this.rejectSubjectDekPost = reject;
  }

  /** Holds every create-DEK request from now until the returned pause is released. */
  public DekCreatePause pauseDekCreates() {
    DekCreatePause p = new DekCreatePause();
    pause = p;
    return p;
  }

  /** Sends {@code error_code} 50001 with every error, to prove clients branch on the status. */
  public void scrambleErrorCodes(boolean scramble) {
    this.scrambleErrorCodes = scramble;
  }

  // ---- auth ----

  /** Every request must carry {@code Authorization: Basic base64(user:password)}, else 401. */
  public void requireBasicAuth(String user, String password) {
    String userInfo = user + ":" + password;
    requiredAuthorization =
        "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  /** Every request must carry {@code Authorization: Bearer token}, else 401. */
  public void requireBearerToken(String token) {
    requiredAuthorization = "Bearer " + token;
  }

  // ---- data behaviour ----

  /**
   * How the server "wraps" DEKs it generates for shared KEKs. Without one (the default), such DEKs
   * have no {@code encryptedKeyMaterial}: the fake has no KMS.
   */
  public void sharedDekWrapper(UnaryOperator<byte[]> wrapper) {
    store.sharedDekWrapper(wrapper);
  }

  /**
   * Gives the server a KMS of its own for shared {@code local-kms} KEKs, derived from {@code
   * secret} as the {@code local-kms} provider does: DEKs it generates for them are wrapped with it
   * and only the wrapped bytes are kept; {@code keyMaterial} is unwrapped from them whenever it is
   * handed out (on every read in Confluent mode, on create only in AxonOps mode). Clients need no
   * KMS at all.
   */
  public void wrapSharedDeksWithLocalKms(String secret) {
    store.serverLocalKms(
        new LocalKekProvider(name -> null)
            .create("server-side", Map.of(LocalKekProvider.SECRET_PROPERTY, secret)));
  }

  /** The server's clock for {@code ts} (epoch millis), e.g. to age DEKs in rotation tests. */
  public void clock(LongSupplier epochMillis) {
    store.clock(epochMillis);
  }

  /** Adds properties no client knows to every KEK and DEK in responses. */
  public void includeUnknownFields(boolean include) {
    store.unknownFields(include);
  }

  /**
   * Passes every successful JSON object answer (a KEK or a DEK) through {@code rewrite} before it
   * is sent: a server that lies, e.g. answers an AES256_GCM request with an AES256_SIV DEK.
   */
  public void rewriteAnswers(UnaryOperator<ObjectNode> rewrite) {
    this.answerRewrite = Objects.requireNonNull(rewrite);
  }

  // ---- HTTP ----

  /**
   * Also answers the Schema Registry calls of {@code schemas} (paths outside the DEK Registry), for
   * clients such as Confluent's serializers that use one base URL for both.
   */
  public void serveSchemas(InMemorySchemaRegistry schemas) {
    this.schemas = schemas;
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String rawPath = exchange.getRequestURI().getRawPath();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      byte[] body = exchange.getRequestBody().readAllBytes();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(
          new RecordedRequest(
              method,
              rawPath,
              rawQuery,
              new String(body, StandardCharsets.UTF_8),
              authorization,
              exchange.getRequestHeaders().getFirst("Content-Type"),
              exchange.getRequestHeaders().getFirst("Accept")));
      Reply reply = dispatch(method, rawPath, rawQuery, body, authorization);
      if (delaysLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        Thread.sleep(delay.toMillis());
      }
      respond(exchange, reply);
    } catch (IOException e) {
      // The client went away (timeouts do that); nothing to answer.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
    }
  }

  private Reply dispatch(
      String method, String rawPath, String rawQuery, byte[] body, String authorization) {
    try {
      if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new ApiError(failureStatus, failureStatus * 100 + 1, "Injected failure");
      }
      String required = requiredAuthorization;
      if (required != null && !required.equals(authorization)) {
        throw new ApiError(401, 40101, "Unauthorized");
      }
      Map<String, String> query = query(rawQuery);
      if (!rawPath.equals(PREFIX) && !rawPath.startsWith(PREFIX + "/")) {
        InMemorySchemaRegistry current = schemas;
        return current == null
            ? InMemoryDekRegistryRoutes.notFound()
            : current.route(method, segments(rawPath), query);
      }
      List<String> segments = segments(rawPath.substring(PREFIX.length()));
      if (rejectSubjectDekPost && InMemoryDekRegistryRoutes.isSubjectDekPost(method, segments)) {
        return InMemoryDekRegistryRoutes.notAllowed();
      }
      DekCreatePause current = pause;
      if (current != null && InMemoryDekRegistryRoutes.isDekCreate(method, segments, query)) {
        current.arrive();
      }
      Reply reply = routes.route(method, segments, query, body);
      if (reply.status() / 100 == 2 && reply.body() instanceof ObjectNode answer) {
        return new Reply(reply.status(), answerRewrite.apply(answer.deepCopy()));
      }
      return reply;
    } catch (ApiError e) {
      ObjectNode error = JSON.createObjectNode();
      error.put("error_code", scrambleErrorCodes ? 50001 : e.errorCode);
      error.put("message", e.getMessage());
      return new Reply(e.status, error);
    } catch (RuntimeException e) {
      ObjectNode error = JSON.createObjectNode().put("error_code", 50001);
      return new Reply(500, error.put("message", "Fake server bug: " + e));
    }
  }

  private static void respond(HttpExchange exchange, Reply reply) throws IOException {
    if (reply.body() == null) {
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(reply.body());
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Splits the raw path first, then decodes each segment, so {@code %2F} stays inside one. */
  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/", -1)) {
      if (!raw.isEmpty()) {
        segments.add(decode(raw));
      }
    }
    return segments;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        query.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return query;
  }

  /** Percent-decoding only: a {@code +} in a path is a plus, not a space. */
  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
