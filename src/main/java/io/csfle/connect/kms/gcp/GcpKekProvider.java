package io.csfle.connect.kms.gcp;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.cloud.kms.v1.KeyManagementServiceSettings;
import io.csfle.connect.kms.Classloading;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.remote.SecretScrubber;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Builds {@code gcp-kms} KEKs. The key id is a crypto key name, {@code
 * projects/P/locations/L/keyRings/R/cryptoKeys/K}. Credentials, first match wins: a service account
 * from {@code client.email}, {@code private.key} (PKCS#8 PEM), {@code private.key.id} and {@code
 * client.id} ({@code account.type} may only be {@code service_account}); a credentials JSON file at
 * {@code credentials.path}; else Application Default Credentials. {@code endpoint} ({@code
 * host:port}) overrides the service endpoint (private service connect, emulators).
 *
 * <p>The client does not retry (one attempt, no retryable codes): retries with jittered backoff are
 * a decorator around every KEK. The client is built with this plugin's classloader as context
 * classloader, since gRPC and the auth library discover transports and providers through it.
 *
 * <p>Bounds: each call carries a gRPC deadline of {@link #CALL_TIMEOUT} (15 s), which covers
 * connecting, the headers and the whole answer: a server that never answers, or sends headers and
 * then nothing, ends in {@code DEADLINE_EXCEEDED}. An answer message may be at most {@link
 * #MAX_ANSWER_BYTES} (1 MiB; the generated client's default is unlimited, a real answer is under 10
 * KB). Status descriptions reach exceptions only scrubbed of the access token, the private key and
 * the key material, and cut short; gax exceptions are kept as causes only as {@link
 * io.csfle.connect.remote.ScrubbedException}s. gRPC's HTTP/2 frame dumps (DEBUG), which would log
 * the bearer token and the DEK, are silenced ({@link GrpcFrameLogsOff}).
 */
public final class GcpKekProvider implements KekProvider {
  public static final String KMS_TYPE = "gcp-kms";
  public static final String ACCOUNT_TYPE = "account.type";
  public static final String CLIENT_ID = "client.id";
  public static final String CLIENT_EMAIL = "client.email";
  public static final String PRIVATE_KEY_ID = "private.key.id";
  public static final String PRIVATE_KEY = "private.key";
  public static final String CREDENTIALS_PATH = "credentials.path";
  public static final String ENDPOINT = "endpoint";
  public static final String SERVICE_ACCOUNT = "service_account";

  static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
  static final int MAX_ANSWER_BYTES = 1024 * 1024;

  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\[\\]:-]+:\\d{1,5}");

  /** Adjusts the client settings after they are built from properties (tests: transport). */
  @FunctionalInterface
  interface SettingsHook {
    void apply(KeyManagementServiceSettings.Builder settings, Map<String, String> properties)
        throws IOException;
  }

  private final SettingsHook hook;
  private final Duration callTimeout;

  static {
    // Before any channel exists: gRPC's handlers take their frame loggers when created.
    GrpcFrameLogsOff.install();
  }

  public GcpKekProvider() {
    this(null);
  }

  GcpKekProvider(SettingsHook hook) {
    this(hook, CALL_TIMEOUT);
  }

  /** For tests: a settings hook (transport) and a shorter bound. */
  GcpKekProvider(SettingsHook hook, Duration callTimeout) {
    this.hook = hook;
    this.callTimeout = callTimeout;
  }

  @Override
  public String kmsType() {
    return KMS_TYPE;
  }

  @Override
  public Kek create(String kmsKeyId, Map<String, String> properties) {
    GcpKeyName key = GcpKeyName.parse(kmsKeyId);
    String endpoint = endpoint(properties);
    return Classloading.withPluginLoader(
        () -> {
          GoogleCredentials credentials = credentials(properties);
          try {
            KeyManagementServiceSettings.Builder settings =
                KeyManagementServiceSettings.newBuilder()
                    .setCredentialsProvider(FixedCredentialsProvider.create(credentials));
            if (endpoint != null) {
              settings.setEndpoint(endpoint);
            }
            RetrySettings once =
                RetrySettings.newBuilder()
                    .setMaxAttempts(1)
                    .setTotalTimeoutDuration(callTimeout)
                    .setInitialRpcTimeoutDuration(callTimeout)
                    .setMaxRpcTimeoutDuration(callTimeout)
                    .setRpcTimeoutMultiplier(1.0)
                    .build();
            settings.encryptSettings().setRetryableCodes(Set.of()).setRetrySettings(once);
            settings.decryptSettings().setRetryableCodes(Set.of()).setRetrySettings(once);
            if (hook != null) {
              hook.apply(settings, properties);
            }
            // After the hook, so that a replaced transport is capped too.
            if (settings.getTransportChannelProvider()
                instanceof InstantiatingGrpcChannelProvider grpc) {
              settings.setTransportChannelProvider(
                  grpc.toBuilder().setMaxInboundMessageSize(MAX_ANSWER_BYTES).build());
            }
            return new GcpKek(
                key,
                KeyManagementServiceClient.create(settings.build()),
                scrubber(properties, credentials));
          } catch (IOException e) {
            throw new KmsException(
                Reason.MISCONFIGURED,
                "gcp-kms client for key " + key.name() + " could not be built: " + e.getMessage(),
                e);
          }
        });
  }

  private static GoogleCredentials credentials(Map<String, String> properties) {
    List<String> scopes = KeyManagementServiceSettings.getDefaultServiceScopes();
    String accountType = value(properties, ACCOUNT_TYPE);
    if (accountType != null && !SERVICE_ACCOUNT.equals(accountType)) {
      throw new KmsException(
          Reason.MISCONFIGURED,
          "gcp-kms "
              + ACCOUNT_TYPE
              + " '"
              + accountType
              + "' is not supported; use service_account");
    }
    String email = value(properties, CLIENT_EMAIL);
    String privateKey = value(properties, PRIVATE_KEY);
    if ((email == null) != (privateKey == null)) {
      throw new KmsException(
          Reason.MISCONFIGURED,
          "gcp-kms needs both "
              + CLIENT_EMAIL
              + " and "
              + PRIVATE_KEY
              + ", or neither (then credentials.path or Application Default Credentials are used)");
    }
    if (email != null) {
      return serviceAccount(properties, email, privateKey, scopes);
    }
    String path = value(properties, CREDENTIALS_PATH);
    return path != null ? credentialsFile(path, scopes) : applicationDefault(scopes);
  }

  private static GoogleCredentials serviceAccount(
      Map<String, String> properties, String email, String privateKey, List<String> scopes) {
    try {
      return ServiceAccountCredentials.fromPkcs8(
          value(properties, CLIENT_ID),
          email,
          privateKey.replace("\\n", "\n"),
          value(properties, PRIVATE_KEY_ID),
          scopes);
    } catch (IOException | RuntimeException e) {
      // The parser's message may quote the key; only its type is reported.
      throw new KmsException(
          Reason.MISCONFIGURED,
          "gcp-kms "
              + PRIVATE_KEY
              + " for "
              + email
              + " is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----): "
              + e.getClass().getSimpleName());
    }
  }

  private static GoogleCredentials credentialsFile(String path, List<String> scopes) {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      return GoogleCredentials.fromStream(in).createScoped(scopes);
    } catch (IOException | RuntimeException e) {
      throw new KmsException(
          Reason.MISCONFIGURED,
          "gcp-kms "
              + CREDENTIALS_PATH
              + " '"
              + path
              + "' is not a readable Google credentials JSON file: "
              + e.getClass().getSimpleName());
    }
  }

  private static GoogleCredentials applicationDefault(List<String> scopes) {
    try {
      return GoogleCredentials.getApplicationDefault().createScoped(scopes);
    } catch (IOException e) {
      throw new KmsException(
          Reason.MISCONFIGURED,
          "gcp-kms found no credentials: set "
              + CLIENT_EMAIL
              + " and "
              + PRIVATE_KEY
              + ", or "
              + CREDENTIALS_PATH
              + ", or Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS)",
          e);
    }
  }

  /** The private key (never sent, but conservative) and the access token of each call. */
  private static Supplier<SecretScrubber> scrubber(
      Map<String, String> properties, GoogleCredentials credentials) {
    String privateKey = value(properties, PRIVATE_KEY);
    SecretScrubber configured =
        SecretScrubber.of(privateKey, privateKey == null ? null : privateKey.replace("\\n", "\n"));
    return () -> {
      AccessToken token = credentials.getAccessToken();
      return token == null ? configured : configured.and(SecretScrubber.of(token.getTokenValue()));
    };
  }

  private static String endpoint(Map<String, String> properties) {
    String text = value(properties, ENDPOINT);
    if (text != null && !HOST_PORT.matcher(text).matches()) {
      throw new KmsException(
          Reason.MISCONFIGURED,
          "gcp-kms "
              + ENDPOINT
              + " '"
              + text
              + "' is not host:port like cloudkms.googleapis.com:443");
    }
    return text;
  }

  private static String value(Map<String, String> properties, String name) {
    String text = properties.get(name);
    return text == null || text.isBlank() ? null : text.trim();
  }
}
