package io.csfle.connect.kms.vault;

import static io.csfle.connect.kms.vault.VaultKekTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS to the fake Vault with a throwaway self-signed certificate made by the JDK's keytool. */
class VaultKekTlsTest {
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "33".repeat(32));
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  private static InMemoryVaultServer vault;
  private static Path caPem;

  @BeforeAll
  static void startHttpsVault() throws Exception {
    Path keystore = dir.resolve("vault.p12");
    caPem = dir.resolve("ca.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "vault",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "vault",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        caPem.toString());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(factory.getKeyManagers(), null, null);
    vault = new InMemoryVaultServer(tls).withKey("transit", "orders").withToken(TOKEN);
  }

  @AfterAll
  static void stop() {
    if (vault != null) {
      vault.close();
    }
  }

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  @Test
  void caCertPath_trustsTheServerAndRoundTripsOverHttps() {
    Kek kek =
        new VaultKekProvider(name -> null)
            .create(
                vault.keyUrl("transit", "orders"),
                Map.of("token.id", TOKEN, "ca.cert.path", caPem.toString()));

    assertThat(vault.address()).startsWith("https://");
    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void untrustedCertificate_isMisconfiguredNamingCaCertPath() {
    Kek kek =
        new VaultKekProvider(name -> null)
            .create(vault.keyUrl("transit", "orders"), Map.of("token.id", TOKEN));

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("ca.cert.path")
        .satisfies(e -> assertThat(((KmsException) e).reason()).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void certificateForAnotherHost_isMisconfigured() {
    String viaLocalhost = vault.keyUrl("transit", "orders").replace("127.0.0.1", "localhost");
    Kek kek =
        new VaultKekProvider(name -> null)
            .create(viaLocalhost, Map.of("token.id", TOKEN, "ca.cert.path", caPem.toString()));

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(((KmsException) e).reason()).isEqualTo(Reason.MISCONFIGURED));
  }
}
