package io.csfle.connect.kms.vault;

import static io.csfle.connect.kms.vault.VaultKekTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.kms.ThrowawayCertificate;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTPS to the fake Vault with a throwaway self-signed certificate made by the JDK's keytool. */
class VaultKekTlsTest {
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "33".repeat(32));

  private static InMemoryVaultServer vault;
  private static Path caPem;

  @BeforeAll
  static void startHttpsVault() throws Exception {
    caPem = ThrowawayCertificate.caPem();
    SSLContext tls = ThrowawayCertificate.serverTls();
    vault = new InMemoryVaultServer(tls).withKey("transit", "orders").withToken(TOKEN);
  }

  @AfterAll
  static void stop() {
    if (vault != null) {
      vault.close();
    }
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
