package io.csfle.connect.kms.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** azure-kms against an in-process HTTPS Key Vault, through the real Azure SDK. */
class AzureKekProviderTest {
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "5a".repeat(32));

  private InMemoryKeyVaultServer vault;
  private String version;

  @BeforeEach
  void start() throws Exception {
    vault = new InMemoryKeyVaultServer().allowToken(AzureTesting.TOKEN);
    version = vault.addKeyVersion("orders");
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private static Map<String, String> properties(String... extra) {
    Map<String, String> properties = new HashMap<>(AzureTesting.properties(AzureTesting.TOKEN));
    for (int i = 0; i < extra.length; i += 2) {
      properties.put(extra[i], extra[i + 1]);
    }
    return properties;
  }

  private static Reason reasonOf(Throwable e) {
    return ((KmsException) e).reason();
  }

  @Test
  void wrap_isRawRsaOaepCiphertextThroughTheEncryptOperation() {
    Kek kek = AzureTesting.provider().create(vault.keyId("orders", version), properties());

    byte[] wrapped = kek.wrap(DEK);

    assertThat(wrapped).hasSize(256);
    assertThat(AzureKek.savedVersion(wrapped)).isNull();
    assertThat(kek.unwrap(wrapped)).isEqualTo(DEK);
    assertThat(vault.requests())
        .anyMatch(r -> r.startsWith("POST /keys/orders/" + version + "/encrypt?api-version="))
        .anyMatch(r -> r.startsWith("POST /keys/orders/" + version + "/decrypt?api-version="));
  }

  @Test
  void keyVersionSave_prefixesTheVersionAndBothFormsUnwrap() {
    String keyId = vault.keyId("orders", version);
    Kek saving =
        AzureTesting.provider()
            .create(keyId, properties(AzureKekProvider.KEY_VERSION_SAVE, "true"));
    Kek plain = AzureTesting.provider().create(keyId, properties());

    byte[] prefixed = saving.wrap(DEK);
    byte[] raw = plain.wrap(DEK);

    String header = "azure:v1:" + version + ":";
    assertThat(new String(prefixed, 0, header.length(), StandardCharsets.US_ASCII))
        .isEqualTo(header);
    assertThat(prefixed).hasSize(header.length() + 256);
    assertThat(saving.unwrap(prefixed)).isEqualTo(DEK);
    assertThat(saving.unwrap(raw)).isEqualTo(DEK);
    assertThat(plain.unwrap(prefixed)).isEqualTo(DEK);
    assertThat(plain.unwrap(raw)).isEqualTo(DEK);
  }

  @Test
  void versionlessKeyId_savesTheVersionKeyVaultUsed_andUnwrapsAfterRotation() throws Exception {
    Kek kek =
        AzureTesting.provider()
            .create(
                vault.keyId("orders", null), properties(AzureKekProvider.KEY_VERSION_SAVE, "TRUE"));

    byte[] prefixed = kek.wrap(DEK);
    String rotated = vault.addKeyVersion("orders");

    assertThat(AzureKek.savedVersion(prefixed)).isEqualTo(version).isNotEqualTo(rotated);
    assertThat(kek.unwrap(prefixed)).isEqualTo(DEK);
    assertThat(vault.requests())
        .anyMatch(r -> r.startsWith("POST /keys/orders/" + version + "/decrypt?"));
    assertThat(AzureKek.savedVersion(kek.wrap(DEK))).isEqualTo(rotated);
  }

  @Test
  void prefixNamingAnUnknownVersion_isKeyUnusable() {
    Kek kek = AzureTesting.provider().create(vault.keyId("orders", version), properties());
    byte[] raw = kek.wrap(DEK);
    byte[] prefixed = AzureKek.prefixed("0".repeat(32), raw);

    assertThatThrownBy(() -> kek.unwrap(prefixed))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("0".repeat(32))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.KEY_UNUSABLE));
  }

  @Test
  void savedVersion_recognisesOnlyTheExactPrefix() {
    byte[] body = new byte[256];
    assertThat(AzureKek.savedVersion(body)).isNull();
    assertThat(AzureKek.savedVersion(AzureKek.prefixed("ab".repeat(16), body)))
        .isEqualTo("ab".repeat(16));
    byte[] shortVersion = ("azure:v1:abc:" + "x".repeat(40)).getBytes(StandardCharsets.US_ASCII);
    assertThat(AzureKek.savedVersion(shortVersion)).isNull();
    byte[] headerOnly = ("azure:v1:" + "ab".repeat(16) + ":").getBytes(StandardCharsets.US_ASCII);
    assertThat(AzureKek.savedVersion(headerOnly)).isNull();
  }

  @Test
  void foreignContextClassLoader_stillWorksAndIsRestored() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    try (URLClassLoader foreign = new URLClassLoader(new URL[0], null)) {
      thread.setContextClassLoader(foreign);
      Kek kek =
          new AzureKekProvider((p, http) -> AzureTesting.staticToken(AzureTesting.TOKEN), false)
              .create(vault.keyId("orders", version), properties());
      assertThat(thread.getContextClassLoader()).isSameAs(foreign);
      byte[] wrapped = kek.wrap(DEK);
      assertThat(kek.unwrap(wrapped)).isEqualTo(DEK);
      assertThat(thread.getContextClassLoader()).isSameAs(foreign);
    } finally {
      thread.setContextClassLoader(original);
    }
  }

  @Test
  void tokenWithoutKeyPermissions_isAccessDeniedNamingTheKeyAndPermission() {
    vault.forbidToken("no-permissions");
    String keyId = vault.keyId("orders", version);
    Kek kek =
        AzureTesting.provider()
            .create(keyId, properties(AzureKekProvider.CLIENT_SECRET, "no-permissions"));

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(keyId)
        .hasMessageContaining("keys/encrypt")
        .hasMessageNotContaining("no-permissions")
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.ACCESS_DENIED));
  }

  @Test
  void publicNetworkAccessDisabled_isAccessDeniedNotAnUnusableKey() {
    vault.disablePublicNetworkAccess();
    Kek kek = AzureTesting.provider().create(vault.keyId("orders", version), properties());

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("Public network access is disabled")
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.ACCESS_DENIED));
  }

  @Test
  void refusedCredential_messageNeverContainsTheClientSecret() {
    String secret = "Sup3r~Secret.Client_Secret-Value";
    Kek kek =
        AzureTesting.provider()
            .create(
                vault.keyId("orders", version), properties(AzureKekProvider.CLIENT_SECRET, secret));

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.ACCESS_DENIED))
        .satisfies(e -> assertThat(fullText(e)).doesNotContain(secret));
  }

  @Test
  void realClientSecretCredentialThatCannotReachEntraId_isUnavailableAndNeverShowsTheSecret() {
    String secret = "Real~Cred.Secret_Never_Shown-42";
    Map<String, String> props =
        Map.of(
            AzureKekProvider.TENANT_ID,
            InMemoryKeyVaultServer.TENANT,
            AzureKekProvider.CLIENT_ID,
            "00000000-0000-0000-0000-0000000000bb",
            AzureKekProvider.CLIENT_SECRET,
            secret,
            AzureKekProvider.CA_CERT_PATH,
            AzureTesting.properties("x").get("ca.cert.path"));
    Kek kek =
        new AzureKekProvider(AzureKekProvider::credential, false)
            .create(vault.keyId("orders", version), props);

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.UNAVAILABLE))
        .satisfies(e -> assertThat(fullText(e)).doesNotContain(secret));
  }

  @Test
  void challengeForAnotherDomain_isMisconfigured() {
    Kek kek =
        new AzureKekProvider((p, http) -> AzureTesting.staticToken(AzureTesting.TOKEN), true)
            .create(vault.keyId("orders", version), properties());

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("canonical URL")
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void partialClientSecretCredentials_areMisconfiguredWithoutEchoingTheSecret() {
    String secret = "only-the-secret-is-set";
    assertThatThrownBy(
            () ->
                new AzureKekProvider()
                    .create(
                        vault.keyId("orders", version),
                        Map.of(AzureKekProvider.CLIENT_SECRET, secret)))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("tenant.id")
        .hasMessageContaining("client.id")
        .hasMessageNotContaining(secret)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void untrustedCertificate_isMisconfiguredNamingCaCertPath() {
    Map<String, String> props = properties();
    props.remove(AzureKekProvider.CA_CERT_PATH);
    Kek kek = AzureTesting.provider().create(vault.keyId("orders", version), props);

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("ca.cert.path")
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void unreadableCaCertPath_isMisconfigured() {
    assertThatThrownBy(
            () ->
                AzureTesting.provider()
                    .create(
                        vault.keyId("orders", version),
                        properties(AzureKekProvider.CA_CERT_PATH, "/nonexistent/ca.pem")))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("ca.cert.path")
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void stoppedVault_isUnavailable() {
    Kek kek = AzureTesting.provider().create(vault.keyId("orders", version), properties());
    vault.close();

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.UNAVAILABLE));
  }

  @Test
  void invalidKeyVersionSave_isMisconfigured() {
    assertThatThrownBy(
            () ->
                AzureTesting.provider()
                    .create(
                        vault.keyId("orders", version),
                        properties(AzureKekProvider.KEY_VERSION_SAVE, "yes")))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("key.version.save")
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "orders",
        "http://myvault.vault.azure.net/keys/orders",
        "https://myvault.vault.azure.net/secrets/orders",
        "https://myvault.vault.azure.net/keys/",
        "https://myvault.vault.azure.net/keys/orders/v1/extra",
        "https://myvault.vault.azure.net/keys/orders?api-version=7.4",
        "arn:aws:kms:eu-west-1:111122223333:key/x"
      })
  void badKeyIds_areMisconfigured(String keyId) {
    assertThatThrownBy(() -> new AzureKekProvider().create(keyId, properties()))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("https://VAULT.vault.azure.net/keys/NAME[/VERSION]")
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void keyIds_parseVaultNameAndVersion() {
    AzureKeyId versioned =
        AzureKeyId.parse("https://myvault.vault.azure.net/keys/orders/" + "ab".repeat(16));
    assertThat(versioned.vaultUrl()).isEqualTo("https://myvault.vault.azure.net");
    assertThat(versioned.name()).isEqualTo("orders");
    assertThat(versioned.version()).isEqualTo("ab".repeat(16));
    AzureKeyId latest = AzureKeyId.parse("https://myvault.vault.azure.net/keys/orders");
    assertThat(latest.version()).isNull();
    assertThat(latest.id()).isEqualTo("https://myvault.vault.azure.net/keys/orders");
    assertThat(AzureKeyId.parse("https://h.managedhsm.azure.net:443/keys/k/").id())
        .isEqualTo("https://h.managedhsm.azure.net:443/keys/k");
  }

  private static String fullText(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
      Arrays.stream(t.getSuppressed()).forEach(s -> text.append(s).append('\n'));
    }
    return text.toString();
  }

  /**
   * Golden encryptedKeyMaterial in Confluent's saved-version form: ASCII {@code azure:v1:<32-hex
   * version>:} then the raw RSA-OAEP-256 ciphertext, made once with plain JCE under the fixed key
   * pair in src/test/resources/azure.
   */
  @Test
  void goldenSavedVersionCiphertext_unwrapsToTheDek() throws Exception {
    java.security.KeyFactory rsa = java.security.KeyFactory.getInstance("RSA");
    java.security.KeyPair pair =
        new java.security.KeyPair(
            rsa.generatePublic(
                new java.security.spec.X509EncodedKeySpec(resource("golden-rsa-key.x509.b64"))),
            rsa.generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(resource("golden-rsa-key.pk8.b64"))));
    String goldenVersion = "0123456789abcdef0123456789abcdef";
    vault.addKeyVersion("golden", goldenVersion, pair);
    byte[] ciphertext =
        java.util.Base64.getDecoder()
            .decode(
                "XlDluoCewbqrrKh5K3hxj4U0mjisproXaj12tqJHJvwsnumPZd16disaw0tl90MjpnS3SbeG8F/e"
                    + "KrweLpF1vyyRmPqIXoVS/joRflU07fhxfWapJzYBem5B9ZpbztJLW0NNBEkKRGNKsq43XES61VJG"
                    + "LUmpPxrpDo3wQKqR6JnGb+a16oOqu2h3eBXJkit1zZ4GT8e3HP2mzEbYGiRQxLBWrkR0eOr4B/ru"
                    + "dzWttru1p8A2T4/2xivzCBkH/RC3X2amFGlOkb7GxVwbHQKjwRoiPjBKXBC7eN9hKIxbduqOkqYM"
                    + "Xh9l11wHczPwZs0x2jmtZp47Pf0j5+5Hp94m0w==");
    byte[] header = ("azure:v1:" + goldenVersion + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] golden = new byte[header.length + ciphertext.length];
    System.arraycopy(header, 0, golden, 0, header.length);
    System.arraycopy(ciphertext, 0, golden, header.length, ciphertext.length);

    Kek kek = AzureTesting.provider().create(vault.keyId("golden", null), properties());

    assertThat(kek.unwrap(golden)).isEqualTo(HexFormat.of().parseHex("1a20" + "11".repeat(32)));
    assertThat(kek.unwrap(ciphertext)).isEqualTo(HexFormat.of().parseHex("1a20" + "11".repeat(32)));
  }

  private static byte[] resource(String name) throws java.io.IOException {
    try (java.io.InputStream in =
        AzureKekProviderTest.class.getResourceAsStream("/azure/" + name)) {
      return java.util.Base64.getMimeDecoder().decode(in.readAllBytes());
    }
  }
}
