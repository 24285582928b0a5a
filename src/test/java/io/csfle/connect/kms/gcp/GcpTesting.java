package io.csfle.connect.kms.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.rpc.FixedHeaderProvider;
import io.grpc.ManagedChannelBuilder;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Test wiring for gcp-kms: plaintext gRPC to the fake, the caller named by a header. */
final class GcpTesting {
  static final String EMAIL = "csfle@project-1.iam.gserviceaccount.com";
  static final String PRIVATE_KEY = pkcs8Pem();

  private GcpTesting() {}

  /**
   * The provider with the channel switched to plaintext and no call credentials (gRPC refuses
   * bearer tokens on plaintext channels); the fake identifies the caller by {@code client.email},
   * sent in a header, so the properties still decide who is allowed.
   */
  static GcpKekProvider provider() {
    return new GcpKekProvider(plaintext());
  }

  /** The settings hook of {@link #provider()}, for a provider with other bounds. */
  static GcpKekProvider.SettingsHook plaintext() {
    return (settings, properties) ->
        settings
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(properties.get(GcpKekProvider.ENDPOINT))
                    .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                    .build())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .setHeaderProvider(
                FixedHeaderProvider.create(
                    InMemoryCloudKmsServer.PRINCIPAL.name(),
                    properties.get(GcpKekProvider.CLIENT_EMAIL)));
  }

  static Map<String, String> properties(InMemoryCloudKmsServer kms, String email) {
    Map<String, String> properties = new HashMap<>();
    properties.put(GcpKekProvider.ACCOUNT_TYPE, GcpKekProvider.SERVICE_ACCOUNT);
    properties.put(GcpKekProvider.CLIENT_ID, "100000000000000000001");
    properties.put(GcpKekProvider.CLIENT_EMAIL, email);
    properties.put(GcpKekProvider.PRIVATE_KEY_ID, "0123456789abcdef");
    properties.put(GcpKekProvider.PRIVATE_KEY, PRIVATE_KEY);
    properties.put(GcpKekProvider.ENDPOINT, kms.endpoint());
    return properties;
  }

  private static String pkcs8Pem() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(der)
          + "\n-----END PRIVATE KEY-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
