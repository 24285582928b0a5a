package io.csfle.connect.store.rest;

import io.csfle.connect.remote.SecretScrubber;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach a DEK registry: base URLs tried in order, credentials, timeouts and retry policy. A
 * plain value (no Kafka {@code ConfigDef}): the transforms layer builds it from its own config.
 * Invalid input throws {@link IllegalArgumentException} naming the Confluent key at fault, never
 * the secret. {@link #toString()} never shows credentials.
 */
public final class RegistryClientConfig {
  /** Values of Confluent's {@code basic.auth.credentials.source}. */
  public enum BasicAuthSource {
    /** No basic auth. */
    NONE,
    /** {@code basic.auth.user.info=user:password}. */
    USER_INFO,
    /** Credentials embedded in each URL ({@code http://user:pass@host:8081}). */
    URL;

    /** Parses a configured value case-insensitively; blank means {@link #NONE}. */
    public static BasicAuthSource parse(String value) {
      return parseEnum(BasicAuthSource.class, value, NONE, "basic.auth.credentials.source");
    }
  }

  /** Values of Confluent's {@code bearer.auth.credentials.source} that we support. */
  public enum BearerAuthSource {
    /** No bearer auth. */
    NONE,
    /** {@code bearer.auth.token}. */
    STATIC_TOKEN;

    /** Parses a configured value case-insensitively; blank means {@link #NONE}. */
    public static BearerAuthSource parse(String value) {
      return parseEnum(BearerAuthSource.class, value, NONE, "bearer.auth.credentials.source");
    }
  }

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  private final List<String> baseUrls;
  // One Authorization header value per base URL (null = none); kept out of toString().
  private final List<String> authorizationHeaders;
  private final BasicAuthSource basicAuthSource;
  private final BearerAuthSource bearerAuthSource;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final SecretScrubber scrubber;

  private RegistryClientConfig(Builder b) {
    if (b.basicAuthSource != BasicAuthSource.NONE && b.bearerAuthSource != BearerAuthSource.NONE) {
      throw new IllegalArgumentException(
          "Only one of basic.auth.credentials.source and bearer.auth.credentials.source may be"
              + " set");
    }
    List<URI> uris = parseUrls(b.urls);
    List<String> urls = new ArrayList<>();
    List<String> headers = new ArrayList<>();
    String shared = sharedAuthorizationHeader(b);
    for (URI uri : uris) {
      urls.add(withoutUserInfo(uri));
      headers.add(b.basicAuthSource == BasicAuthSource.URL ? urlBasicHeader(uri) : shared);
    }
    if (b.basicAuthSource == BasicAuthSource.URL && headers.stream().allMatch(Objects::isNull)) {
      throw new IllegalArgumentException(
          "basic.auth.credentials.source=URL but no registry URL contains user:password@");
    }
    this.baseUrls = List.copyOf(urls);
    this.authorizationHeaders = Collections.unmodifiableList(headers);
    this.scrubber = scrubber(b, uris);
    this.basicAuthSource = b.basicAuthSource;
    this.bearerAuthSource = b.bearerAuthSource;
    this.connectTimeout = positive(b.connectTimeout, "connect timeout");
    this.requestTimeout = positive(b.requestTimeout, "request timeout");
    if (b.maxRetries < 0) {
      throw new IllegalArgumentException("max retries must be >= 0, got " + b.maxRetries);
    }
    this.maxRetries = b.maxRetries;
    this.initialBackoff = positive(b.initialBackoff, "initial backoff");
    this.maxBackoff = positive(b.maxBackoff, "max backoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("max backoff must not be less than initial backoff");
    }
  }

  /** A builder for the given comma-separated base URL list, with every other value defaulted. */
  public static Builder builder(String commaSeparatedUrls) {
    return new Builder(commaSeparatedUrls);
  }

  /** Defaults everywhere, no auth. */
  public static RegistryClientConfig of(String commaSeparatedUrls) {
    return builder(commaSeparatedUrls).build();
  }

  /** Base URLs in the configured order, without trailing slashes or user-info. */
  public List<String> baseUrls() {
    return baseUrls;
  }

  public BasicAuthSource basicAuthSource() {
    return basicAuthSource;
  }

  public BearerAuthSource bearerAuthSource() {
    return bearerAuthSource;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Retries after the first attempt; each retry tries every base URL once. */
  public int maxRetries() {
    return maxRetries;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Removes every configured credential from server text: the basic {@code user:password} and the
   * password alone, the bearer token, and the user info (and its password) of every URL, in all the
   * forms {@link SecretScrubber} knows (so the {@code Basic} header's base64 too).
   */
  SecretScrubber scrubber() {
    return scrubber;
  }

  /** The {@code Authorization} header for {@code baseUrls().get(index)}, or null. */
  String authorizationHeader(int index) {
    return authorizationHeaders.get(index);
  }

  @Override
  public String toString() {
    return "RegistryClientConfig[baseUrls="
        + baseUrls
        + ", basicAuthSource="
        + basicAuthSource
        + ", bearerAuthSource="
        + bearerAuthSource
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxRetries="
        + maxRetries
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + "]";
  }

  private static SecretScrubber scrubber(Builder b, List<URI> uris) {
    // Every configured credential, used or not: a secret is a secret whatever the source setting.
    List<String> secrets = new ArrayList<>();
    addUserInfo(b.basicUserInfo, secrets);
    if (b.bearerToken != null) {
      secrets.add(b.bearerToken);
      secrets.add(b.bearerToken.trim());
    }
    for (URI uri : uris) {
      addUserInfo(uri.getRawUserInfo(), secrets);
      addUserInfo(uri.getUserInfo(), secrets);
    }
    return SecretScrubber.of(secrets);
  }

  private static void addUserInfo(String userInfo, List<String> secrets) {
    if (userInfo == null || userInfo.isEmpty()) {
      return;
    }
    secrets.add(userInfo);
    int colon = userInfo.indexOf(':');
    if (colon >= 0) {
      secrets.add(userInfo.substring(colon + 1));
    }
  }

  private static String sharedAuthorizationHeader(Builder b) {
    if (b.basicAuthSource == BasicAuthSource.USER_INFO) {
      if (b.basicUserInfo == null || b.basicUserInfo.indexOf(':') < 0) {
        throw new IllegalArgumentException(
            "basic.auth.credentials.source=USER_INFO needs basic.auth.user.info=user:password");
      }
      return basicHeader(b.basicUserInfo);
    }
    if (b.bearerAuthSource == BearerAuthSource.STATIC_TOKEN) {
      if (b.bearerToken == null || b.bearerToken.isBlank()) {
        throw new IllegalArgumentException(
            "bearer.auth.credentials.source=STATIC_TOKEN needs bearer.auth.token");
      }
      String token = b.bearerToken.trim();
      if (token.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        // The JDK refuses such a header value with a message that quotes it: refuse it first.
        throw new IllegalArgumentException(
            "bearer.auth.token holds a control character (a line break, say), which an HTTP"
                + " header cannot carry");
      }
      return "Bearer " + token;
    }
    return null;
  }

  private static String urlBasicHeader(URI uri) {
    // getUserInfo() percent-decodes, so "p%40ss" becomes "p@ss" as the user intended.
    String userInfo = uri.getUserInfo();
    return userInfo == null || userInfo.isEmpty() ? null : basicHeader(userInfo);
  }

  private static String basicHeader(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  private static List<URI> parseUrls(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      throw new IllegalArgumentException("No DEK registry URL configured");
    }
    List<URI> uris = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      String trimmed = part.trim();
      if (!trimmed.isEmpty()) {
        uris.add(parseUrl(trimmed));
      }
    }
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("No DEK registry URL configured");
    }
    return uris;
  }

  private static URI parseUrl(String url) {
    String problem = urlProblem(url);
    if (problem != null) {
      throw new IllegalArgumentException(
          "DEK registry URL "
              + problem
              + " (expected http(s)://[user:password@]host[:port][/path])");
    }
    return URI.create(url);
  }

  /**
   * What is wrong with one registry URL, or null when it is usable: http or https, a host, a port
   * in 1-65535 ({@code java.net.URI} takes any digits), no space or control character, no query or
   * fragment. The text never quotes the URL, which may carry a password, so it can go into a config
   * validation message as is.
   */
  public static String urlProblem(String url) {
    for (int i = 0; i < url.length(); i++) {
      if (Character.isWhitespace(url.charAt(i)) || Character.isISOControl(url.charAt(i))) {
        return "contains a space or control character";
      }
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "does not parse: " + e.getReason().toLowerCase(Locale.ROOT);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "must start with http:// or https://";
    }
    if (uri.getHost() == null) {
      return "has no valid host";
    }
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      return "has port " + uri.getPort() + ", outside 1-65535";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must not have a query or fragment";
    }
    return null;
  }

  private static String withoutUserInfo(URI uri) {
    StringBuilder s = new StringBuilder();
    if (uri.getScheme() != null) {
      s.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      s.append(uri.getHost());
    }
    if (uri.getPort() >= 0) {
      s.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return s.append(path).toString();
  }

  private static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, E blank, String key) {
    if (value == null || value.isBlank()) {
      return blank;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unsupported "
              + key
              + " '"
              + value
              + "'; expected one of "
              + List.of(type.getEnumConstants()));
    }
  }

  /** Collects settings; every one has a default except the URL list. */
  public static final class Builder {
    private final String urls;
    private BasicAuthSource basicAuthSource = BasicAuthSource.NONE;
    private String basicUserInfo;
    private BearerAuthSource bearerAuthSource = BearerAuthSource.NONE;
    private String bearerToken;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

    private Builder(String urls) {
      this.urls = urls;
    }

    /**
     * Basic auth. {@code userInfo} ({@code user:password}) is used with {@link
     * BasicAuthSource#USER_INFO} and ignored otherwise.
     */
    public Builder basicAuth(BasicAuthSource source, String userInfo) {
      this.basicAuthSource = Objects.requireNonNull(source, "source");
      this.basicUserInfo = userInfo;
      return this;
    }

    /** Bearer auth; {@code token} is used with {@link BearerAuthSource#STATIC_TOKEN}. */
    public Builder bearerAuth(BearerAuthSource source, String token) {
      this.bearerAuthSource = Objects.requireNonNull(source, "source");
      this.bearerToken = token;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Time allowed for one HTTP exchange, from sending to the whole response. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    public RegistryClientConfig build() {
      return new RegistryClientConfig(this);
    }
  }
}
