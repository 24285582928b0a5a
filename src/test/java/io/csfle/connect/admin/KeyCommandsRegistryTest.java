package io.csfle.connect.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key tool's register, update-kek and --json against a DEK registry (Confluent's API). */
class KeyCommandsRegistryTest extends KeyCommandsContract {
  private InMemoryDekRegistryServer registry;

  @Override
  protected Map<String, String> freshStore() {
    registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    return freshStoreOf(registry);
  }

  private static Map<String, String> freshStoreOf(InMemoryDekRegistryServer registry) {
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

  @Test
  void updateKekToShared_isAcceptedByARegistry() throws Exception {
    Path config = AdminCli.properties(dir, freshStoreOf(registry));
    AdminCli.run(AdminCli.withConfig(config, "register", "orders-value"));

    AdminCli.Result shared =
        AdminCli.run(
            AdminCli.withConfig(config, "update-kek", "ops_kek", "--shared", "true", "--json"));

    assertThat(shared.status()).as(shared.err()).isZero();
    assertThat(shared.out()).contains("\"shared\":true").contains("\"kmsKeyId\":\"ops_kek\"");
  }
}
