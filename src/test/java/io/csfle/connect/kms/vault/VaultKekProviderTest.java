package io.csfle.connect.kms.vault;

import static io.csfle.connect.kms.vault.VaultKekTest.TOKEN;
import static io.csfle.connect.kms.vault.VaultKekTest.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials, namespace, TLS trust and classloading of {@link VaultKekProvider}. */
class VaultKekProviderTest {
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "22".repeat(32));
  private static final String ROLE_ID = "role-1234";
  private static final String SECRET_ID = "secret-id-very-secret-5678";

  private InMemoryVaultServer vault;
  private String keyUrl;

  @BeforeEach
  void start() throws Exception {
    vault =
        new InMemoryVaultServer()
            .withKey("transit", "orders")
            .withToken(TOKEN)
            .withAppRole(ROLE_ID, SECRET_ID);
    keyUrl = vault.keyUrl("transit", "orders");
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private static VaultKekProvider provider(Map<String, String> environment) {
    return new VaultKekProvider(environment::get);
  }

  private static Map<String, String> appRole() {
    return Map.of("approle.role.id", ROLE_ID, "approle.secret.id", SECRET_ID);
  }

  @Test
  void kmsType_isConfluentsName() {
    assertThat(new VaultKekProvider().kmsType()).isEqualTo("hcvault");
  }

  @Test
  void appRole_logsInOnceAndReusesTheToken() {
    Kek kek = provider(Map.of()).create(keyUrl, appRole());

    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
    assertThat(vault.logins()).isEqualTo(1);
  }

  @Test
  void appRoleTokenRevoked_logsInAgainOnceAndSucceeds() {
    Kek kek = provider(Map.of()).create(keyUrl, appRole());
    byte[] wrapped = kek.wrap(DEK);
    vault.revokeAllTokens();

    assertThat(kek.unwrap(wrapped)).isEqualTo(DEK);
    assertThat(vault.logins()).isEqualTo(2);
  }

  @Test
  void appRoleStillDeniedAfterRelogin_isAccessDeniedAfterOneRetry() {
    Kek kek = provider(Map.of()).create(keyUrl, appRole());
    kek.wrap(DEK);
    vault.failNext(403, 5);

    assertThat(reasonOf(() -> kek.wrap(DEK))).isEqualTo(Reason.ACCESS_DENIED);
    assertThat(vault.logins()).isEqualTo(2);
    assertThat(vault.transitCalls()).isEqualTo(3);
  }

  @Test
  void fixedToken403_isNotRetried() {
    Kek kek = provider(Map.of()).create(keyUrl, Map.of("token.id", TOKEN));
    vault.failNext(403, 1);

    assertThat(reasonOf(() -> kek.wrap(DEK))).isEqualTo(Reason.ACCESS_DENIED);
    assertThat(vault.transitCalls()).isEqualTo(1);
  }

  @Test
  void wrongAppRoleSecret_isAccessDeniedAndNeverShowsTheSecret() {
    Kek kek =
        provider(Map.of())
            .create(
                keyUrl, Map.of("approle.role.id", ROLE_ID, "approle.secret.id", "wrong-secret-x"));

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("approle.secret.id")
        .satisfies(e -> assertThat(((KmsException) e).reason()).isEqualTo(Reason.ACCESS_DENIED))
        .message()
        .doesNotContain("wrong-secret-x")
        .doesNotContain(SECRET_ID);
  }

  @Test
  void onlyRoleId_isMisconfigured() {
    assertThat(
            reasonOf(() -> provider(Map.of()).create(keyUrl, Map.of("approle.role.id", ROLE_ID))))
        .isEqualTo(Reason.MISCONFIGURED);
  }

  @Test
  void noCredentialsAnywhere_isMisconfiguredNamingEveryOption() {
    assertThatThrownBy(() -> provider(Map.of()).create(keyUrl, Map.of()))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("token.id")
        .hasMessageContaining("approle.role.id")
        .hasMessageContaining("VAULT_TOKEN")
        .satisfies(e -> assertThat(((KmsException) e).reason()).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void vaultTokenEnvironment_isUsedWhenNoPropertyIsSet() {
    Kek kek = provider(Map.of("VAULT_TOKEN", TOKEN)).create(keyUrl, Map.of());

    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void tokenProperty_winsOverAppRoleAndEnvironment() {
    Map<String, String> properties = new java.util.HashMap<>(appRole());
    properties.put("token.id", TOKEN);
    Kek kek = provider(Map.of("VAULT_TOKEN", "hvs.env-token")).create(keyUrl, properties);

    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
    assertThat(vault.logins()).isZero();
  }

  @Test
  void appRole_winsOverVaultTokenEnvironment() {
    Kek kek = provider(Map.of("VAULT_TOKEN", "hvs.env-token")).create(keyUrl, appRole());

    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
    assertThat(vault.logins()).isEqualTo(1);
  }

  @Test
  void namespace_isSentOnLoginAndTransitCalls() {
    vault.requireNamespace("team-a");
    Map<String, String> properties = new java.util.HashMap<>(appRole());
    properties.put("namespace", "team-a");
    Kek kek = provider(Map.of()).create(keyUrl, properties);

    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
    assertThat(vault.namespacesSeen()).hasSize(3).containsOnly("team-a");
  }

  @Test
  void namespaceEnvironment_isTheFallback() {
    vault.requireNamespace("team-b");
    Kek kek =
        provider(Map.of("VAULT_NAMESPACE", "team-b")).create(keyUrl, Map.of("token.id", TOKEN));

    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void noNamespace_sendsNoHeader() {
    Kek kek = provider(Map.of()).create(keyUrl, Map.of("token.id", TOKEN));
    kek.wrap(DEK);

    assertThat(vault.namespacesSeen()).containsOnly("null");
  }

  @Test
  void wrongNamespace_isAccessDenied() {
    vault.requireNamespace("team-a");
    Kek kek = provider(Map.of()).create(keyUrl, Map.of("token.id", TOKEN, "namespace", "team-z"));

    assertThat(reasonOf(() -> kek.wrap(DEK))).isEqualTo(Reason.ACCESS_DENIED);
  }

  @Test
  void foreignContextClassLoader_buildsAndCalls() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    try (URLClassLoader foreign = new URLClassLoader(new URL[0], null)) {
      thread.setContextClassLoader(foreign);
      Kek kek = new VaultKekProvider(name -> null).create(keyUrl, appRole());

      assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
    } finally {
      thread.setContextClassLoader(original);
    }
  }

  @Test
  void caCertPath_withPemCertificate_buildsAndStillTalksPlainHttp(@TempDir Path dir)
      throws Exception {
    Path pem = dir.resolve("ca.pem");
    Files.writeString(pem, pemOfSomeJdkCaCertificate(), StandardCharsets.US_ASCII);
    Kek kek =
        provider(Map.of())
            .create(keyUrl, Map.of("token.id", TOKEN, "ca.cert.path", pem.toString()));

    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void caCertPath_missingOrNotPem_isMisconfigured(@TempDir Path dir) throws Exception {
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a certificate");

    for (Path path : new Path[] {dir.resolve("missing.pem"), garbage}) {
      assertThatThrownBy(
              () ->
                  provider(Map.of())
                      .create(keyUrl, Map.of("token.id", TOKEN, "ca.cert.path", path.toString())))
          .isInstanceOf(KmsException.class)
          .hasMessageContaining("ca.cert.path")
          .satisfies(e -> assertThat(((KmsException) e).reason()).isEqualTo(Reason.MISCONFIGURED));
    }
  }

  @Test
  void badKeyId_isMisconfiguredBeforeAnyCall() {
    assertThat(
            reasonOf(
                () ->
                    provider(Map.of())
                        .create(vault.address() + "/transit/orders", Map.of("token.id", TOKEN))))
        .isEqualTo(Reason.MISCONFIGURED);
    assertThat(vault.transitCalls()).isZero();
  }

  @Test
  void registeredInATable_isFoundByItsType() {
    Kek kek =
        KekProviders.of(provider(Map.of())).create("hcvault", keyUrl, Map.of("token.id", TOKEN));

    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
  }

  private static String pemOfSomeJdkCaCertificate() throws Exception {
    KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
    Path file = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    try (InputStream in = Files.newInputStream(file)) {
      cacerts.load(in, null);
    }
    Certificate certificate = cacerts.getCertificate(cacerts.aliases().nextElement());
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
