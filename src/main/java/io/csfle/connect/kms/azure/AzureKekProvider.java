package io.csfle.connect.kms.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import io.csfle.connect.kms.Classloading;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.PemTrust;
import io.csfle.connect.remote.JdkWireLogs;
import io.csfle.connect.remote.SecretScrubber;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Builds {@code azure-kms} KEKs: Azure Key Vault (or Managed HSM) RSA keys named by their key
 * identifier, {@code https://VAULT.vault.azure.net/keys/NAME[/VERSION]}; the vault URL is taken
 * from it.
 *
 * <p>Properties (Confluent's names): {@code tenant.id} + {@code client.id} + {@code client.secret}
 * for a service principal; without them the SDK's default credential chain (environment, workload
 * identity, managed identity, Azure CLI...). {@code key.version.save=true} writes the {@code
 * azure:v1:<version>:} prefix (Confluent's {@code encrypt.azure.key.version.save}). This plugin's
 * addition: {@code ca.cert.path}, a PEM file of CA certificates to trust instead of the JDK's.
 *
 * <p>The HTTP client (the JDK's {@code java.net.http}) is built explicitly and every client is
 * built and called with this plugin's classloader as context classloader, so nothing is discovered
 * from another plugin's classpath. The SDK does not retry: a decorator around every KEK does.
 *
 * <p>Bounds: each HTTP exchange (a Key Vault call, its bearer challenge, an Entra ID token request)
 * ends within {@link #CALL_TIMEOUT} (15 s), connecting, headers and the whole body included: beyond
 * the JDK client's connect, response (headers) and read (idle) timeouts, which a server dripping
 * its body never trips, {@link GuardedHttpClient} abandons the exchange when its time is up. The
 * SDK's retries are off, so a KEK call makes one exchange, or three on its first call (challenge,
 * token, call). An answer body may be at most {@link #MAX_ANSWER_BYTES} (1 MiB; a real answer is
 * under 10 KB). Server text reaches exceptions only scrubbed of {@code client.secret} and the key
 * material and cut short, and Azure exceptions are kept as causes only as {@link
 * io.csfle.connect.remote.ScrubbedException}s.
 */
public final class AzureKekProvider implements KekProvider {
  public static final String KMS_TYPE = "azure-kms";
  public static final String TENANT_ID = "tenant.id";
  public static final String CLIENT_ID = "client.id";
  public static final String CLIENT_SECRET = "client.secret";
  public static final String KEY_VERSION_SAVE = "key.version.save";
  public static final String CA_CERT_PATH = "ca.cert.path";

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
  static final long MAX_ANSWER_BYTES = 1024 * 1024;

  private final BiFunction<Map<String, String>, HttpClient, TokenCredential> credentials;
  private final boolean verifyChallengeResource;
  private final Duration callTimeout;
  private final Map<String, HttpClient> httpClients = new ConcurrentHashMap<>();

  public AzureKekProvider() {
    this(AzureKekProvider::credential, true);
  }

  AzureKekProvider(
      BiFunction<Map<String, String>, HttpClient, TokenCredential> credentials,
      boolean verifyChallengeResource) {
    this(credentials, verifyChallengeResource, CALL_TIMEOUT);
  }

  /**
   * For tests: builds the token credential from the properties and the HTTP client, and may turn
   * off the check that Key Vault's bearer challenge names a resource in the vault's domain (a fake
   * on 127.0.0.1 is in no Azure domain), and may shorten the bound of each exchange.
   */
  AzureKekProvider(
      BiFunction<Map<String, String>, HttpClient, TokenCredential> credentials,
      boolean verifyChallengeResource,
      Duration callTimeout) {
    JdkWireLogs.keepQuiet(); // azure-core-http-jdk-httpclient is java.net.http
    this.credentials = credentials;
    this.verifyChallengeResource = verifyChallengeResource;
    this.callTimeout = callTimeout;
  }

  @Override
  public String kmsType() {
    return KMS_TYPE;
  }

  @Override
  public Kek create(String kmsKeyId, Map<String, String> properties) {
    AzureKeyId key = AzureKeyId.parse(kmsKeyId);
    boolean saveVersion = saveVersion(properties);
    return Classloading.withPluginLoader(
        () -> {
          // The credential is built on the guarded client and the guard scrubs with the tokens the
          // credential hands out: the holder closes that loop.
          WatchedCredential[] watched = new WatchedCredential[1];
          String secret = value(properties, CLIENT_SECRET);
          HttpClient http =
              new GuardedHttpClient(
                  httpClient(value(properties, CA_CERT_PATH)),
                  callTimeout,
                  MAX_ANSWER_BYTES,
                  () -> watched[0] == null ? SecretScrubber.of(secret) : watched[0].scrubber());
          watched[0] = new WatchedCredential(credentials.apply(properties, http), secret);
          TokenCredential credential = watched[0];
          return new AzureKek(
              key,
              target ->
                  Classloading.withPluginLoader(
                      () -> cryptographyClient(target, http, credential, verifyChallengeResource)),
              saveVersion,
              watched[0]::scrubber);
        });
  }

  private static CryptographyClient cryptographyClient(
      AzureKeyId target,
      HttpClient http,
      TokenCredential credential,
      boolean verifyChallengeResource) {
    CryptographyClientBuilder builder =
        new CryptographyClientBuilder()
            .keyIdentifier(target.id())
            .credential(credential)
            .httpClient(http)
            .retryOptions(noRetries())
            .disableKeyCaching();
    if (!verifyChallengeResource) {
      builder.disableChallengeResourceVerification();
    }
    return builder.buildClient();
  }

  static TokenCredential credential(Map<String, String> properties, HttpClient http) {
    String tenantId = value(properties, TENANT_ID);
    String clientId = value(properties, CLIENT_ID);
    String clientSecret = value(properties, CLIENT_SECRET);
    if (tenantId == null && clientId == null && clientSecret == null) {
      return new DefaultAzureCredentialBuilder().httpClient(http).build();
    }
    if (tenantId == null || clientId == null || clientSecret == null) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "azure-kms needs all of "
              + TENANT_ID
              + ", "
              + CLIENT_ID
              + " and "
              + CLIENT_SECRET
              + ", or none (then the default Azure credential chain is used); missing: "
              + (tenantId == null ? TENANT_ID + " " : "")
              + (clientId == null ? CLIENT_ID + " " : "")
              + (clientSecret == null ? CLIENT_SECRET : ""));
    }
    return new ClientSecretCredentialBuilder()
        .tenantId(tenantId)
        .clientId(clientId)
        .clientSecret(clientSecret)
        .httpClient(http)
        .retryOptions(noRetries())
        .build();
  }

  private HttpClient httpClient(String caCertPath) {
    return httpClients.computeIfAbsent(
        caCertPath == null ? "" : caCertPath,
        path -> {
          java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
          if (!path.isEmpty()) {
            jdk.sslContext(PemTrust.sslContext(KMS_TYPE, path));
          }
          return new JdkHttpClientBuilder(jdk)
              .connectionTimeout(CONNECT_TIMEOUT)
              .responseTimeout(callTimeout)
              .readTimeout(callTimeout)
              .build();
        });
  }

  private static RetryOptions noRetries() {
    return new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1)));
  }

  private static boolean saveVersion(Map<String, String> properties) {
    String text = value(properties, KEY_VERSION_SAVE);
    if (text == null || text.equalsIgnoreCase("false")) {
      return false;
    }
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    throw new KmsException(
        KmsException.Reason.MISCONFIGURED,
        "azure-kms " + KEY_VERSION_SAVE + " must be true or false, not '" + text + "'");
  }

  private static String value(Map<String, String> properties, String name) {
    String text = properties.get(name);
    return text == null || text.isBlank() ? null : text.trim();
  }
}
