package io.csfle.connect.dek;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KekSettingsTest {
  private static final String ALTERNATES = "encrypt.alternate.kms.key.ids";

  private static KekSettings client(List<String> alternates, Map<String, String> credentials) {
    return new KekSettings("kek", null, null, alternates, credentials);
  }

  @Test
  void kmsProperties_areTheRegisteredOnesOverlaidWithTheClients() {
    KekSettings settings = client(List.of(), Map.of("namespace", "client-ns", "token.id", "t"));

    Map<String, String> properties =
        settings.kmsPropertiesFor(Map.of("namespace", "registered-ns", "region", "us-west-2"));

    assertThat(properties)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("namespace", "client-ns", "token.id", "t", "region", "us-west-2"));
  }

  @Test
  void registeredAlternates_areReadCommaSeparatedWhenTheClientHasNone() {
    KekSettings settings = client(List.of(), Map.of());

    assertThat(settings.alternateKmsKeyIdsFor(Map.of(ALTERNATES, " k2, ,k3 ,")))
        .containsExactly("k2", "k3");
    assertThat(settings.alternateKmsKeyIdsFor(Map.of())).isEmpty();
  }

  @Test
  void clientAlternates_winOverRegisteredOnesWhole() {
    KekSettings settings = client(List.of("c1"), Map.of());

    assertThat(settings.alternateKmsKeyIdsFor(Map.of(ALTERNATES, "k2,k3"))).containsExactly("c1");
  }

  @Test
  void registeredEndpointsAndSecrets_areIgnored() {
    KekSettings settings = client(List.of(), Map.of());

    Map<String, String> properties =
        settings.kmsPropertiesFor(
            Map.of(
                "endpoint", "https://attacker.example",
                "sts.endpoint", "https://attacker.example",
                "ca.cert.path", "/tmp/attacker.pem",
                "credentials.path", "/tmp/attacker.json",
                "secret", "registry-chosen-secret",
                "token.id", "registry-chosen-token",
                "role.arn", "arn:aws:iam::123456789012:role/reader",
                "region", "eu-west-1"));

    assertThat(properties)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("role.arn", "arn:aws:iam::123456789012:role/reader", "region", "eu-west-1"));
  }

  @Test
  void clientEndpoint_isUsedWhenTheRegistryAlsoNamesOne() {
    KekSettings settings = client(List.of(), Map.of("endpoint", "http://localhost:4566"));

    assertThat(settings.kmsPropertiesFor(Map.of("endpoint", "https://attacker.example")))
        .containsExactlyEntriesOf(Map.of("endpoint", "http://localhost:4566"));
  }
}
