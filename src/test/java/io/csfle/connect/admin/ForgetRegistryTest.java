package io.csfle.connect.admin;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The key tool's forget against a DEK registry with Confluent's rules; {@link
 * ForgetAxonOpsRegistryTest} runs it on the AxonOps flavour.
 */
class ForgetRegistryTest extends ForgetContract {
  private InMemoryDekRegistryServer registry;

  /** The registry flavour to start. */
  InMemoryDekRegistryServer.Mode mode() {
    return InMemoryDekRegistryServer.Mode.CONFLUENT;
  }

  @Override
  protected Map<String, String> freshStore() {
    registry = InMemoryDekRegistryServer.start(mode());
    Map<String, String> transform = new HashMap<>();
    transform.put("fields", "email");
    transform.put("schema.registry.url", registry.url());
    transform.put("encrypt.kek.name", "ops_kek");
    transform.put("encrypt.kms.type", "local-kms");
    transform.put("encrypt.kms.key.id", "ops_kek");
    transform.put("kms.secret", "forget-test-secret");
    return transform;
  }

  @AfterEach
  void stop() {
    registry.close();
  }
}
