package io.csfle.connect.kms.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import java.time.OffsetDateTime;
import java.util.Map;
import reactor.core.publisher.Mono;

/** Test wiring: a provider whose credential is a static bearer token taken from client.secret. */
final class AzureTesting {
  static final String TOKEN = "static-test-token";

  private AzureTesting() {}

  /** A provider that uses {@code client.secret} as the bearer token (no Entra ID involved). */
  static AzureKekProvider provider() {
    return new AzureKekProvider(
        (properties, http) -> staticToken(properties.get("client.secret")), false);
  }

  static TokenCredential staticToken(String token) {
    return request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
  }

  static Map<String, String> properties(String token) {
    try {
      return Map.of(
          AzureKekProvider.TENANT_ID,
          InMemoryKeyVaultServer.TENANT,
          AzureKekProvider.CLIENT_ID,
          "00000000-0000-0000-0000-0000000000c1",
          AzureKekProvider.CLIENT_SECRET,
          token,
          AzureKekProvider.CA_CERT_PATH,
          InMemoryKeyVaultServer.caPem().toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
