package io.csfle.connect.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KmsCredentialKeysTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "secret",
        "kms.secret",
        "access.key.id",
        "secret.access.key",
        "SECRET_ACCESS_KEY",
        "token.id",
        "approle.secret.id",
        "client.secret",
        "private.key",
        "private-key-id",
        "role.external.id",
        "vault.password",
        "api.token"
      })
  void credentialNames_areSecret(String property) {
    assertThat(KmsCredentialKeys.isSecret(property)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "region",
        "profile",
        "role.arn",
        "namespace",
        "tenant.id",
        "client.id",
        "client.email",
        "credentials.path",
        "endpoint",
        "encrypt.alternate.kms.key.ids"
      })
  void settingsThatAreNotCredentials_areNotSecret(String property) {
    assertThat(KmsCredentialKeys.isSecret(property)).isFalse();
  }
}
