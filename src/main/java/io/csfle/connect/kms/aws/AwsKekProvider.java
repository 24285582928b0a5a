package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.Classloading;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.remote.JdkWireLogs;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds {@code aws-kms} KEKs. The key id must be a key or alias ARN; the region comes from it,
 * except that a multi-region key is used in the worker's region ({@value #REGION}, else the SDK's
 * default region chain) unless {@value #DISABLE_DYNAMIC_MRK} is true (see {@link MultiRegionKeys}).
 * Credentials, first match wins: {@code access.key.id} + {@code secret.access.key}; {@code
 * profile}; else the SDK's default chain (environment, system properties, shared files, web
 * identity, container and instance roles). With {@code role.arn} the chosen credentials assume that
 * role through STS ({@code role.session.name}, {@code role.external.id}). {@code endpoint} and
 * {@code sts.endpoint} override the service endpoints (VPC endpoints, emulators).
 *
 * <p>The SDK does not retry ({@link AwsRetryStrategy#doNotRetry()}): retries with jittered backoff
 * are a decorator around every KEK, and a second retry layer inside would multiply the delay an
 * outage costs a task.
 *
 * <p>Bounds, per call: the whole KMS call (connecting, sending, waiting for the headers and reading
 * the body) ends within {@link #API_CALL_TIMEOUT} (15 s): the SDK aborts the connection when it
 * runs out, so a server that stalls or drips the body byte by byte cannot hold a task longer.
 * Credentials are resolved before that clock starts: with {@code role.arn}, refreshing the role's
 * credentials is an STS call with the same bounds, so a call that refreshes them ends within twice
 * the bound; the default chain's own sources (instance metadata, web identity) keep the SDK's
 * timeouts. Connecting is bounded by {@link #CONNECT_TIMEOUT} (5 s) and each read by {@link
 * #SOCKET_TIMEOUT} (10 s). An answer body may be at most {@link #MAX_ANSWER_BYTES} (1 MiB; a real
 * Encrypt/Decrypt or STS answer is under 10 KB); a larger one is refused, not read. Text from the
 * server (error codes and messages) reaches exceptions only scrubbed of the configured and resolved
 * credentials and cut short, and SDK exceptions are not kept as causes as they are (see {@link
 * io.csfle.connect.remote.ScrubbedException}).
 *
 * <p>HTTP clients are built explicitly ({@link UrlConnectionHttpClient}) and every client is built
 * with this plugin's classloader as context classloader: the SDK's classpath discovery of HTTP
 * clients and services would otherwise search the loader of whichever plugin's thread we run on.
 */
public final class AwsKekProvider implements KekProvider {
  public static final String KMS_TYPE = "aws-kms";
  public static final String ACCESS_KEY_ID = "access.key.id";
  public static final String SECRET_ACCESS_KEY = "secret.access.key";
  public static final String PROFILE = "profile";
  public static final String ROLE_ARN = "role.arn";
  public static final String ROLE_SESSION_NAME = "role.session.name";
  public static final String ROLE_EXTERNAL_ID = "role.external.id";
  public static final String ENDPOINT = "endpoint";
  public static final String STS_ENDPOINT = "sts.endpoint";
  public static final String REGION = MultiRegionKeys.REGION;
  public static final String DISABLE_DYNAMIC_MRK = MultiRegionKeys.DISABLE_DYNAMIC_MRK;
  public static final String DEFAULT_ROLE_SESSION_NAME = "kafka-connect-csfle";

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
  static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(15);
  static final long MAX_ANSWER_BYTES = 1024 * 1024;

  private final Duration connectTimeout;
  private final Duration socketTimeout;
  private final Duration apiCallTimeout;
  private final MultiRegionKeys multiRegionKeys;

  public AwsKekProvider() {
    this(CONNECT_TIMEOUT, SOCKET_TIMEOUT, API_CALL_TIMEOUT, MultiRegionKeys.withSdkDefaultRegion());
  }

  /** For tests: shorter bounds, so a stalling server costs seconds, not the production bounds. */
  AwsKekProvider(Duration connectTimeout, Duration socketTimeout, Duration apiCallTimeout) {
    this(connectTimeout, socketTimeout, apiCallTimeout, MultiRegionKeys.withSdkDefaultRegion());
  }

  /** For tests: the "default region chain" answers {@code defaultRegion(profile)}. */
  AwsKekProvider(UnaryOperator<String> defaultRegion) {
    this(CONNECT_TIMEOUT, SOCKET_TIMEOUT, API_CALL_TIMEOUT, new MultiRegionKeys(defaultRegion));
  }

  private AwsKekProvider(
      Duration connectTimeout,
      Duration socketTimeout,
      Duration apiCallTimeout,
      MultiRegionKeys multiRegionKeys) {
    JdkWireLogs.keepQuiet(); // url-connection-client is HttpURLConnection
    this.connectTimeout = connectTimeout;
    this.socketTimeout = socketTimeout;
    this.apiCallTimeout = apiCallTimeout;
    this.multiRegionKeys = multiRegionKeys;
  }

  @Override
  public String kmsType() {
    return KMS_TYPE;
  }

  @Override
  public Kek create(String kmsKeyId, Map<String, String> properties) {
    AwsKeyArn key = multiRegionKeys.keyToUse(AwsKeyArn.parse(kmsKeyId), properties);
    Region region = Region.of(key.region());
    URI endpoint = endpoint(properties, ENDPOINT);
    URI stsEndpoint = endpoint(properties, STS_ENDPOINT);
    return Classloading.withPluginLoader(
        () -> {
          List<AutoCloseable> resources = new ArrayList<>();
          AwsSecrets secrets = new AwsSecrets();
          secrets.remember(value(properties, ACCESS_KEY_ID), value(properties, SECRET_ACCESS_KEY));
          try {
            AwsCredentialsProvider credentials =
                secrets.watching(baseCredentials(properties, resources));
            String roleArn = value(properties, ROLE_ARN);
            if (roleArn != null) {
              credentials =
                  secrets.watching(
                      assumeRole(
                          roleArn,
                          properties,
                          region,
                          stsEndpoint,
                          credentials,
                          secrets,
                          resources));
            }
            var builder =
                KmsClient.builder()
                    .region(region)
                    .credentialsProvider(credentials)
                    .httpClientBuilder(httpClient(secrets))
                    .overrideConfiguration(overrides());
            if (endpoint != null) {
              builder.endpointOverride(endpoint);
            }
            return new AwsKek(key, builder.build(), List.copyOf(resources), secrets);
          } catch (RuntimeException e) {
            resources.forEach(AwsKekProvider::closeQuietly);
            throw e;
          }
        });
  }

  private static AwsCredentialsProvider baseCredentials(
      Map<String, String> properties, List<AutoCloseable> resources) {
    String accessKeyId = value(properties, ACCESS_KEY_ID);
    String secretAccessKey = value(properties, SECRET_ACCESS_KEY);
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "aws-kms needs both "
              + ACCESS_KEY_ID
              + " and "
              + SECRET_ACCESS_KEY
              + ", or neither (then profile or the default credential chain is used)");
    }
    if (accessKeyId != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }
    String profile = value(properties, PROFILE);
    if (profile != null) {
      ProfileCredentialsProvider provider =
          ProfileCredentialsProvider.builder().profileName(profile).build();
      resources.add(provider);
      return provider;
    }
    DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build();
    resources.add(provider);
    return provider;
  }

  private AwsCredentialsProvider assumeRole(
      String roleArn,
      Map<String, String> properties,
      Region region,
      URI stsEndpoint,
      AwsCredentialsProvider base,
      AwsSecrets secrets,
      List<AutoCloseable> resources) {
    var stsBuilder =
        StsClient.builder()
            .region(region)
            .credentialsProvider(base)
            .httpClientBuilder(httpClient(secrets))
            .overrideConfiguration(overrides());
    if (stsEndpoint != null) {
      stsBuilder.endpointOverride(stsEndpoint);
    }
    StsClient sts = stsBuilder.build();
    resources.add(sts);
    String sessionName = value(properties, ROLE_SESSION_NAME);
    String externalId = value(properties, ROLE_EXTERNAL_ID);
    StsAssumeRoleCredentialsProvider provider =
        StsAssumeRoleCredentialsProvider.builder()
            .stsClient(sts)
            .refreshRequest(
                r ->
                    r.roleArn(roleArn)
                        .roleSessionName(
                            sessionName == null ? DEFAULT_ROLE_SESSION_NAME : sessionName)
                        .externalId(externalId))
            .build();
    resources.add(provider);
    return provider;
  }

  private GuardedHttpClient.GuardedBuilder httpClient(AwsSecrets secrets) {
    return GuardedHttpClient.builder(
        UrlConnectionHttpClient.builder()
            .connectionTimeout(connectTimeout)
            .socketTimeout(socketTimeout),
        MAX_ANSWER_BYTES,
        secrets);
  }

  private ClientOverrideConfiguration overrides() {
    // One attempt, so the attempt bound equals the call bound; both are set so that a retry
    // strategy added later cannot silently multiply the bound.
    return ClientOverrideConfiguration.builder()
        .retryStrategy(AwsRetryStrategy.doNotRetry())
        .apiCallTimeout(apiCallTimeout)
        .apiCallAttemptTimeout(apiCallTimeout)
        .build();
  }

  private static URI endpoint(Map<String, String> properties, String name) {
    String text = value(properties, name);
    if (text == null) {
      return null;
    }
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "aws-kms " + name + " '" + text + "' is not a URL like https://kms.example:443",
          e);
    }
  }

  private static String value(Map<String, String> properties, String name) {
    String text = properties.get(name);
    return text == null || text.isBlank() ? null : text.trim();
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // Building failed; the original exception is the one worth reporting.
    }
  }
}
