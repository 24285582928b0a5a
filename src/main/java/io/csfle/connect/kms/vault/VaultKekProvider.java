package io.csfle.connect.kms.vault;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.PemTrust;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Builds {@code hcvault} KEKs: HashiCorp Vault / OpenBao Transit keys named by URL, e.g. {@code
 * https://vault:8200/transit/keys/NAME} (see {@link VaultKeyUrl} for the parsing rules).
 *
 * <p>Properties (Confluent's names): {@code token.id} (else AppRole {@code approle.role.id} +
 * {@code approle.secret.id}, else the {@code VAULT_TOKEN} environment variable); {@code namespace}
 * (else {@code VAULT_NAMESPACE}) sent as {@code X-Vault-Namespace}; {@code ca.cert.path}, a PEM
 * file of CA certificates to trust instead of the JDK's (this plugin's addition).
 *
 * <p>One {@link HttpClient} per trust setting is shared by all KEKs of this provider. It is built
 * explicitly and needs no service lookup, so it works when a connector task has set a foreign
 * thread context classloader.
 */
public final class VaultKekProvider implements KekProvider {
  public static final String KMS_TYPE = "hcvault";
  public static final String TOKEN_PROPERTY = "token.id";
  public static final String NAMESPACE_PROPERTY = "namespace";
  public static final String ROLE_ID_PROPERTY = "approle.role.id";
  public static final String SECRET_ID_PROPERTY = "approle.secret.id";
  public static final String CA_CERT_PROPERTY = "ca.cert.path";
  public static final String TOKEN_ENV = "VAULT_TOKEN";
  public static final String NAMESPACE_ENV = "VAULT_NAMESPACE";
  static final String APPROLE_MOUNT = "approle";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final UnaryOperator<String> environment;
  private final Duration requestTimeout;
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

  public VaultKekProvider() {
    this(System::getenv);
  }

  /** For tests: reads "environment variables" from the given lookup. */
  public VaultKekProvider(UnaryOperator<String> environment) {
    this(environment, VaultHttp.REQUEST_TIMEOUT);
  }

  VaultKekProvider(UnaryOperator<String> environment, Duration requestTimeout) {
    this.environment = environment;
    this.requestTimeout = requestTimeout;
  }

  @Override
  public String kmsType() {
    return KMS_TYPE;
  }

  @Override
  public Kek create(String kmsKeyId, Map<String, String> properties) {
    VaultKeyUrl key = VaultKeyUrl.parse(kmsKeyId);
    String namespace = setting(properties, NAMESPACE_PROPERTY, NAMESPACE_ENV);
    VaultHttp http =
        new VaultHttp(client(properties.get(CA_CERT_PROPERTY)), namespace, requestTimeout);
    return new VaultKek(key, http, tokens(key, http, properties));
  }

  private VaultTokenSource tokens(VaultKeyUrl key, VaultHttp http, Map<String, String> properties) {
    String token = nonEmpty(properties.get(TOKEN_PROPERTY));
    if (token != null) {
      return VaultTokenSource.fixed(token);
    }
    String roleId = nonEmpty(properties.get(ROLE_ID_PROPERTY));
    String secretId = nonEmpty(properties.get(SECRET_ID_PROPERTY));
    if (roleId != null && secretId != null) {
      return VaultTokenSource.appRole(http, key, APPROLE_MOUNT, roleId, secretId);
    }
    if (roleId != null || secretId != null) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "hcvault AppRole login needs both "
              + ROLE_ID_PROPERTY
              + " and "
              + SECRET_ID_PROPERTY
              + " (key "
              + key.keyUrl()
              + ")");
    }
    token = nonEmpty(environment.apply(TOKEN_ENV));
    if (token != null) {
      return VaultTokenSource.fixed(token);
    }
    throw new KmsException(
        KmsException.Reason.MISCONFIGURED,
        "hcvault key "
            + key.keyUrl()
            + " needs Vault credentials: set kms "
            + TOKEN_PROPERTY
            + ", or "
            + ROLE_ID_PROPERTY
            + " and "
            + SECRET_ID_PROPERTY
            + ", or the "
            + TOKEN_ENV
            + " environment variable of the worker");
  }

  private HttpClient client(String caCertPath) {
    String path = nonEmpty(caCertPath);
    return clients.computeIfAbsent(path == null ? "" : path, VaultKekProvider::newClient);
  }

  private static HttpClient newClient(String caCertPath) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (!caCertPath.isEmpty()) {
      builder.sslContext(PemTrust.sslContext(KMS_TYPE, caCertPath));
    }
    return builder.build();
  }

  private String setting(Map<String, String> properties, String property, String env) {
    String value = nonEmpty(properties.get(property));
    return value != null ? value : nonEmpty(environment.apply(env));
  }

  private static String nonEmpty(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
