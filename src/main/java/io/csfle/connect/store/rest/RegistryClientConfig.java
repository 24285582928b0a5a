package io.csfle.connect.store.rest;

import io.csfle.connect.remote.SecretScrubber;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
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
    List<URI> uris = RegistryUrls.parse(b.urls);
    List<String> urls = new ArrayList<>();
    List<String> headers = new ArrayList<>();
    String shared =
        RegistryCredentials.sharedAuthorizationHeader(
            b.basicAuthSource, b.basicUserInfo, b.bearerAuthSource, b.bearerToken);
    for (URI uri : uris) {
      urls.add(RegistryUrls.withoutUserInfo(uri));
      headers.add(
          b.basicAuthSource == BasicAuthSource.URL
              ? RegistryCredentials.urlBasicHeader(uri)
              : shared);
    }
    if (b.basicAuthSource == BasicAuthSource.URL && headers.stream().allMatch(Objects::isNull)) {
      throw new IllegalArgumentException(
          "basic.auth.credentials.source=URL but no registry URL contains user:password@");
    }
    this.baseUrls = List.copyOf(urls);
    this.authorizationHeaders = Collections.unmodifiableList(headers);
    this.scrubber = RegistryCredentials.scrubber(b.basicUserInfo, b.bearerToken, uris);
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

  /**
   * What is wrong with one registry URL, or null when it is usable: http or https, a host, a port
   * in 1-65535 ({@code java.net.URI} takes any digits), no space or control character, no query or
   * fragment. The text never quotes the URL, which may carry a password, so it can go into a config
   * validation message as is.
   */
  public static String urlProblem(String url) {
    return RegistryUrls.problem(url);
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
