package io.csfle.connect.config;

import static io.csfle.connect.config.KeySpec.key;

import io.csfle.connect.store.rest.RegistryClientConfig;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The "DEK registry" keys: how to reach a registry server (Confluent's names: URLs, basic and
 * bearer auth, timeouts, retries) and their translation into the REST client's configuration.
 *
 * <p>{@code schema.registry.url} is a PASSWORD key although it names URLs: with {@code
 * basic.auth.credentials.source=URL} each URL carries {@code user:password@}, and Connect prints
 * every STRING value it knows the definition of, ours (when a transform is configured) and the
 * worker's (the connector configuration it logs at INFO embeds each transformation's definitions
 * under {@code transforms.<alias>.}). A PASSWORD value prints as {@code [hidden]} in both logs and
 * in {@code config/validate} answers; the price is that those no longer show the registry address.
 */
public final class RegistryKeys {
  public static final String REGISTRY_URL_CONFIG = "schema.registry.url";
  public static final String BASIC_AUTH_SOURCE_CONFIG = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
  public static final String BEARER_AUTH_SOURCE_CONFIG = "bearer.auth.credentials.source";
  public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";
  public static final String CONNECT_TIMEOUT_CONFIG = "http.connect.timeout.ms";
  public static final String READ_TIMEOUT_CONFIG = "http.read.timeout.ms";
  public static final String MAX_RETRIES_CONFIG = "max.retries";
  public static final String RETRIES_WAIT_CONFIG = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_CONFIG = "retries.max.wait.ms";

  static final String GROUP = "DEK registry";

  private static final List<KeySpec> KEYS =
      List.of(
          key(
                  REGISTRY_URL_CONFIG,
                  Type.PASSWORD,
                  null,
                  Importance.HIGH,
                  "Comma-separated base URLs of a server with Confluent's DEK Registry API"
                      + " (Confluent Schema Registry, AxonOps Schema Registry). Later URLs"
                      + " are tried"
                      + " when earlier ones fail. Required when dek.store=registry (the default)."
                      + " Typed as a password, so that logs and config validation show [hidden]: a"
                      + " URL may carry user:password@.")
              .validatedBy(new RegistryUrlValidator())
              .shown(Width.LONG, "Registry URLs"),
          key(
                  BASIC_AUTH_SOURCE_CONFIG,
                  Type.STRING,
                  "",
                  Importance.MEDIUM,
                  "Basic auth for the DEK registry: empty (none), USER_INFO (use"
                      + " basic.auth.user.info) or URL (user:password@ in each registry URL).")
              .validatedBy(ConfigDef.CaseInsensitiveValidString.in("", "USER_INFO", "URL"))
              .shown(Width.SHORT, "Basic auth source"),
          key(
                  BASIC_AUTH_USER_INFO_CONFIG,
                  Type.PASSWORD,
                  null,
                  Importance.MEDIUM,
                  "user:password for USER_INFO basic auth.")
              .shown(Width.MEDIUM, "Basic auth user info"),
          key(
                  BEARER_AUTH_SOURCE_CONFIG,
                  Type.STRING,
                  "",
                  Importance.MEDIUM,
                  "Bearer auth for the DEK registry: empty (none) or STATIC_TOKEN (use"
                      + " bearer.auth.token).")
              .validatedBy(ConfigDef.CaseInsensitiveValidString.in("", "STATIC_TOKEN"))
              .shown(Width.SHORT, "Bearer auth source"),
          key(
                  BEARER_AUTH_TOKEN_CONFIG,
                  Type.PASSWORD,
                  null,
                  Importance.MEDIUM,
                  "Token for STATIC_TOKEN bearer auth.")
              .shown(Width.MEDIUM, "Bearer token"),
          millis(CONNECT_TIMEOUT_CONFIG, 10_000, "Timeout to connect to the DEK registry.")
              .shown(Width.SHORT, "Connect timeout ms"),
          millis(
                  READ_TIMEOUT_CONFIG,
                  30_000,
                  "Timeout for one DEK registry request to one URL, from sending it to the last"
                      + " byte of the answer (headers and body). One attempt is cut off after"
                      + " http.connect.timeout.ms + http.read.timeout.ms; a whole call, with"
                      + " retries"
                      + " and failover, returns within (max.retries + 1) x URLs x"
                      + " (http.connect.timeout.ms + http.read.timeout.ms) + max.retries x"
                      + " retries.max.wait.ms.")
              .shown(Width.SHORT, "Read timeout ms"),
          key(
                  MAX_RETRIES_CONFIG,
                  Type.INT,
                  3,
                  Importance.LOW,
                  "Retries of a DEK registry request that failed with a timeout, 408, 429 or 5xx.")
              .validatedBy(ConfigDef.Range.atLeast(0))
              .shown(Width.SHORT, "Max retries"),
          millis(RETRIES_WAIT_CONFIG, 100, "First backoff between retries; it doubles each retry.")
              .shown(Width.SHORT, "Retry wait ms"),
          millis(RETRIES_MAX_WAIT_CONFIG, 5_000, "Longest backoff between retries.")
              .shown(Width.SHORT, "Max retry wait ms"));

  private RegistryKeys() {}

  private static KeySpec millis(String name, int defaultMs, String doc) {
    return key(name, Type.INT, defaultMs, Importance.LOW, doc)
        .validatedBy(ConfigDef.Range.atLeast(1));
  }

  /** Defines the keys in {@code def}, in the "DEK registry" group, shown with the registry. */
  public static ConfigDef appendTo(ConfigDef def) {
    return KeySpec.defineAll(
        def, GROUP, KEYS, VisibilityRecommender.forStore(DekStoreKeys.STORE_REGISTRY));
  }

  /** The REST client's settings; ConfigException when they do not make a client. */
  public static RegistryClientConfig clientConfig(AbstractConfig config) {
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
}
