package io.csfle.connect.admin;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The key tool's register, update-kek and --json against a DEK registry (Confluent's API). */
class KeyCommandsRegistryTest extends KeyCommandsContract {
  private InMemoryDekRegistryServer registry;

  @Override
  protected Map<String, String> freshStore() {
    registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    Map<String, String> transform = new HashMap<>();
    transform.put("fields", "email");
    transform.put("schema.registry.url", registry.url());
    transform.put("encrypt.kek.name", "ops_kek");
    transform.put("encrypt.kms.type", "local-kms");
    transform.put("encrypt.kms.key.id", "ops_kek");
    transform.put("kms.secret", "key-commands-test-secret");
    return transform;
  }

  @AfterEach
  void stop() {
    registry.close();
  }
}
