package io.csfle.connect.kms.azure;

import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KekProviderContract;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The shared KMS contract, run against the real Azure SDK and an in-process Key Vault. */
class AzureKekProviderContractTest extends KekProviderContract {
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

  @Override
  protected KekProvider provider() {
    return AzureTesting.provider();
  }

  @Override
  protected String keyId() {
    return vault.keyId("orders", version);
  }

  @Override
  protected String unknownKeyId() {
    return vault.keyId("missing", version);
  }

  @Override
  protected Map<String, String> properties() {
    return new HashMap<>(AzureTesting.properties(AzureTesting.TOKEN));
  }

  @Override
  protected Map<String, String> deniedProperties() {
    return new HashMap<>(AzureTesting.properties("a-token-the-vault-refuses"));
  }

  @Override
  protected void throttleNext(int count) {
    vault.throttleNext(count);
  }

  @Override
  protected void disableKey() {
    vault.disable("orders");
  }
}
