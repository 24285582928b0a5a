package io.csfle.connect.transforms;

import io.csfle.connect.store.rest.RegistryClientConfig;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The keys that say how to reach the DEK registry (Confluent's names: URLs, basic and bearer auth,
 * timeouts, retries) and their translation into the registry client's own configuration.
 *
 * <p>{@code schema.registry.url} is a PASSWORD key although it names URLs: with {@code
 * basic.auth.credentials.source=URL} each URL carries {@code user:password@}, and Connect prints
 * every STRING value it knows the definition of, ours (when a transform is configured) and the
 * worker's (the connector configuration it logs at INFO embeds each transformation's definitions
 * under {@code transforms.<alias>.}). A PASSWORD value prints as {@code [hidden]} in both logs and
 * in {@code config/validate} answers; the price is that those no longer show the registry address.
 */
final class RegistryConnectionConfig {
  static final String REGISTRY_URL_CONFIG = "schema.registry.url";
  static final String REGISTRY_URL_DOC =
      "Comma-separated base URLs of a server with Confluent's DEK Registry API (Confluent Schema"
          + " Registry, AxonOps Schema Registry). Later URLs are tried when earlier ones fail."
          + " Required when dek.store=registry (the default). Typed as a password, so that"
          + " logs and config validation show [hidden]: a URL may carry user:password@.";

  static final String BASIC_AUTH_SOURCE_CONFIG = "basic.auth.credentials.source";
  static final String BASIC_AUTH_SOURCE_DOC =
      "Basic auth for the DEK registry: empty (none), USER_INFO (use basic.auth.user.info) or"
          + " URL (user:password@ in each registry URL).";
  static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
  static final String BASIC_AUTH_USER_INFO_DOC = "user:password for USER_INFO basic auth.";
  static final String BEARER_AUTH_SOURCE_CONFIG = "bearer.auth.credentials.source";
  static final String BEARER_AUTH_SOURCE_DOC =
      "Bearer auth for the DEK registry: empty (none) or STATIC_TOKEN (use bearer.auth.token).";
  static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";
  static final String BEARER_AUTH_TOKEN_DOC = "Token for STATIC_TOKEN bearer auth.";

  static final String CONNECT_TIMEOUT_CONFIG = "http.connect.timeout.ms";
  static final String CONNECT_TIMEOUT_DOC = "Timeout to connect to the DEK registry.";
  static final String READ_TIMEOUT_CONFIG = "http.read.timeout.ms";
  static final String READ_TIMEOUT_DOC =
      "Timeout for one DEK registry request to one URL, from sending it to the last byte of the"
          + " answer (headers and body). One attempt is cut off after http.connect.timeout.ms +"
          + " http.read.timeout.ms; a whole call, with retries and failover, returns within"
          + " (max.retries + 1) x URLs x (http.connect.timeout.ms + http.read.timeout.ms) +"
          + " max.retries x retries.max.wait.ms.";
  static final String MAX_RETRIES_CONFIG = "max.retries";
  static final String MAX_RETRIES_DOC =
      "Retries of a DEK registry request that failed with a timeout, 408, 429 or 5xx.";
  static final String RETRIES_WAIT_CONFIG = "retries.wait.ms";
  static final String RETRIES_WAIT_DOC = "First backoff between retries; it doubles each retry.";
  static final String RETRIES_MAX_WAIT_CONFIG = "retries.max.wait.ms";
  static final String RETRIES_MAX_WAIT_DOC = "Longest backoff between retries.";

  private static final String GROUP_REGISTRY = "DEK registry";

  private RegistryConnectionConfig() {}

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
        REGISTRY_URL_CONFIG,
        Type.PASSWORD,
        null,
        new RegistryUrlValidator(),
        Importance.HIGH,
        REGISTRY_URL_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.LONG,
        "Registry URLs");
    def.define(
        BASIC_AUTH_SOURCE_CONFIG,
        Type.STRING,
        "",
        ConfigDef.CaseInsensitiveValidString.in("", "USER_INFO", "URL"),
        Importance.MEDIUM,
        BASIC_AUTH_SOURCE_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.SHORT,
        "Basic auth source");
    def.define(
        BASIC_AUTH_USER_INFO_CONFIG,
        Type.PASSWORD,
        null,
        Importance.MEDIUM,
        BASIC_AUTH_USER_INFO_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.MEDIUM,
        "Basic auth user info");
    def.define(
        BEARER_AUTH_SOURCE_CONFIG,
        Type.STRING,
        "",
        ConfigDef.CaseInsensitiveValidString.in("", "STATIC_TOKEN"),
        Importance.MEDIUM,
        BEARER_AUTH_SOURCE_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.SHORT,
        "Bearer auth source");
    def.define(
        BEARER_AUTH_TOKEN_CONFIG,
        Type.PASSWORD,
        null,
        Importance.MEDIUM,
        BEARER_AUTH_TOKEN_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.MEDIUM,
        "Bearer token");
    def.define(
        CONNECT_TIMEOUT_CONFIG,
        Type.INT,
        10_000,
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        CONNECT_TIMEOUT_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.SHORT,
        "Connect timeout ms");
    def.define(
        READ_TIMEOUT_CONFIG,
        Type.INT,
        30_000,
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        READ_TIMEOUT_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.SHORT,
        "Read timeout ms");
    def.define(
        MAX_RETRIES_CONFIG,
        Type.INT,
        3,
        ConfigDef.Range.atLeast(0),
        Importance.LOW,
        MAX_RETRIES_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.SHORT,
        "Max retries");
    def.define(
        RETRIES_WAIT_CONFIG,
        Type.INT,
        100,
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        RETRIES_WAIT_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.SHORT,
        "Retry wait ms");
    def.define(
        RETRIES_MAX_WAIT_CONFIG,
        Type.INT,
        5_000,
        ConfigDef.Range.atLeast(1),
        Importance.LOW,
        RETRIES_MAX_WAIT_DOC,
        GROUP_REGISTRY,
        ++order,
        Width.SHORT,
        "Max retry wait ms");
  }

  static RegistryClientConfig clientConfig(AbstractConfig config) {
    try {
      return RegistryClientConfig.builder(passwordValue(config, REGISTRY_URL_CONFIG))
          .basicAuth(
              RegistryClientConfig.BasicAuthSource.parse(
                  config.getString(BASIC_AUTH_SOURCE_CONFIG)),
              passwordValue(config, BASIC_AUTH_USER_INFO_CONFIG))
          .bearerAuth(
              RegistryClientConfig.BearerAuthSource.parse(
                  config.getString(BEARER_AUTH_SOURCE_CONFIG)),
              passwordValue(config, BEARER_AUTH_TOKEN_CONFIG))
          .connectTimeout(Duration.ofMillis(config.getInt(CONNECT_TIMEOUT_CONFIG)))
          .requestTimeout(Duration.ofMillis(config.getInt(READ_TIMEOUT_CONFIG)))
          .maxRetries(config.getInt(MAX_RETRIES_CONFIG))
          .initialBackoff(Duration.ofMillis(config.getInt(RETRIES_WAIT_CONFIG)))
          .maxBackoff(
              Duration.ofMillis(
                  Math.max(
                      config.getInt(RETRIES_WAIT_CONFIG), config.getInt(RETRIES_MAX_WAIT_CONFIG))))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** The comma-separated registry URLs, or null when unset. */
  static String urls(AbstractConfig config) {
    return passwordValue(config, REGISTRY_URL_CONFIG);
  }

  private static String passwordValue(AbstractConfig config, String key) {
    Password password = config.getPassword(key);
    return password == null ? null : password.value();
  }

  /**
   * Checks each URL of the list (scheme, host, port range, no spaces, no query or fragment),
   * without contacting anything, so that a bad URL fails {@code config/validate} and {@code
   * configure()} rather than every record. Messages say which URL of the list is wrong and why,
   * never the URL: it may carry a password.
   */
  private static final class RegistryUrlValidator implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        return; // only required with dek.store=registry, checked at configure()
      }
      String urls = value instanceof Password password ? password.value() : value.toString();
      if (urls == null || urls.isBlank()) {
        throw invalid(name, "at least one registry URL is required");
      }
      String[] parts = urls.split(",", -1);
      if (urls.replace(",", "").isBlank()) {
        // "," alone: the registry client skips empty entries and would find none at configure().
        throw invalid(name, "at least one registry URL is required");
      }
      for (int i = 0; i < parts.length; i++) {
        String url = parts[i].trim();
        // "a,,b" and a trailing comma: empty entries are skipped, as the registry client does.
        String problem = url.isEmpty() ? null : RegistryClientConfig.urlProblem(url);
        if (problem != null) {
          String which = parts.length == 1 ? "the URL" : "URL " + (i + 1) + " of " + parts.length;
          throw invalid(name, which + " " + problem);
        }
      }
    }

    private static ConfigException invalid(String name, String problem) {
      // ConfigException(name, value, message) would print the value; this form names only the key.
      return new ConfigException("Invalid value for configuration " + name + ": " + problem);
    }

    @Override
    public String toString() {
      return "comma-separated http(s) URLs";
    }
  }
}
