package io.csfle.connect.kms.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.kms.KmsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VaultKeyUrlTest {

  @Test
  void confluentForm_splitsAddressMountAndName() {
    VaultKeyUrl key = VaultKeyUrl.parse("https://vault:8200/transit/keys/orders");

    assertThat(key.address()).isEqualTo("https://vault:8200");
    assertThat(key.mount()).isEqualTo("transit");
    assertThat(key.keyName()).isEqualTo("orders");
    assertThat(key.operation("encrypt"))
        .hasToString("https://vault:8200/v1/transit/encrypt/orders");
    assertThat(key.operation("decrypt"))
        .hasToString("https://vault:8200/v1/transit/decrypt/orders");
  }

  @Test
  void nestedMount_keepsEverySegmentBeforeKeys() {
    VaultKeyUrl key = VaultKeyUrl.parse("http://127.0.0.1:8200/team-a/transit/keys/k1");

    assertThat(key.mount()).isEqualTo("team-a/transit");
    assertThat(key.operation("encrypt"))
        .hasToString("http://127.0.0.1:8200/v1/team-a/transit/encrypt/k1");
  }

  @Test
  void noPort_keepsTheSchemeDefault() {
    VaultKeyUrl key = VaultKeyUrl.parse("https://vault.example.com/transit/keys/k");

    assertThat(key.api("auth/approle/login"))
        .hasToString("https://vault.example.com/v1/auth/approle/login");
  }

  @Test
  void mountNamedV1_isAllowedWhenItIsTheWholeMount() {
    assertThat(VaultKeyUrl.parse("http://h:8200/v1/keys/k").mount()).isEqualTo("v1");
  }

  @Test
  void apiPrefixInPath_isMisconfiguredAndSaysToDropIt() {
    assertThatThrownBy(() -> VaultKeyUrl.parse("http://h:8200/v1/transit/keys/k"))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("/v1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "vault:8200/transit/keys/k",
        "ftp://h/transit/keys/k",
        "http://h:8200/transit/k",
        "http://h:8200/keys/k",
        "http://h:8200/transit/keys/k/",
        "http://h:8200/transit/keys/",
        "http://h:8200//transit/keys/k",
        "http://h:8200/transit/keys/k?version=2",
        "http://h:8200/transit/keys/k#x",
        "http:///transit/keys/k",
        "not a url at all"
      })
  void badKeyIds_areMisconfigured(String keyId) {
    assertThatThrownBy(() -> VaultKeyUrl.parse(keyId))
        .isInstanceOf(KmsException.class)
        .satisfies(
            e ->
                assertThat(((KmsException) e).reason())
                    .isEqualTo(KmsException.Reason.MISCONFIGURED))
        .hasMessageContaining("transit/keys/NAME");
  }

  @Test
  void userInfo_isRefusedWithoutEchoingThePassword() {
    assertThatThrownBy(() -> VaultKeyUrl.parse("https://me:hunter2@vault:8200/transit/keys/k"))
        .isInstanceOf(KmsException.class)
        .message()
        .doesNotContain("hunter2");
  }
}
