package io.csfle.connect.kms.vault;

import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KekProviderContract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The shared KMS contract, run against an in-process Vault transit engine. */
class VaultKekProviderContractTest extends KekProviderContract {
  private static final String TOKEN = "contract-vault-token";

  private InMemoryVaultServer vault;

  @BeforeEach
  void start() throws Exception {
    vault = new InMemoryVaultServer().withKey("transit", "pii").withToken(TOKEN);
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  @Override
  protected KekProvider provider() {
    return new VaultKekProvider();
  }

  @Override
  protected String keyId() {
    return vault.keyUrl("transit", "pii");
  }

  @Override
  protected String unknownKeyId() {
    return vault.keyUrl("transit", "missing");
  }

  @Override
  protected Map<String, String> properties() {
    return Map.of(VaultKekProvider.TOKEN_PROPERTY, TOKEN);
  }

  @Override
  protected Map<String, String> deniedProperties() {
    return Map.of(VaultKekProvider.TOKEN_PROPERTY, "revoked-token");
  }

  @Override
  protected void throttleNext(int count) {
    vault.failNext(429, count);
  }

  @Override
  protected void disableKey() {
    vault.disableKey("transit", "pii");
  }
}
