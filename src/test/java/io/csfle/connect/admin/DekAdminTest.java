package io.csfle.connect.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key-operator tool against a DEK registry (the Kafka store: DekAdminKafkaStoreIT). */
class DekAdminTest {
  private static final Schema SCHEMA =
      SchemaBuilder.struct().field("email", Schema.STRING_SCHEMA).build();

  @TempDir Path dir;

  private InMemoryDekRegistryServer registry;
  private Map<String, String> transform;
  private Path config;
  private String out;
  private String err;

  @BeforeEach
  void start() throws IOException {
    registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    transform = new HashMap<>();
    transform.put("fields", "email");
    transform.put("schema.registry.url", registry.url());
    transform.put("encrypt.kek.name", "ops_kek");
    transform.put("encrypt.kms.type", "local-kms");
    transform.put("encrypt.kms.key.id", "ops_kek");
    transform.put("kms.secret", "dek-admin-test-secret");
    config = properties(transform);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Path properties(Map<String, String> settings) throws IOException {
    return AdminCli.properties(dir, settings);
  }

  private int run(String... args) {
    AdminCli.Result result = AdminCli.run(args);
    out = result.out();
    err = result.err();
    return result.status();
  }

  private int admin(String... commandLine) {
    return run(AdminCli.withConfig(config, commandLine));
  }

  private Struct encryptOne(String topic) {
    return AdminCli.encryptOne(transform, topic);
  }

  private String decrypt(String topic, Struct encrypted) {
    return AdminCli.decrypt(transform, topic, encrypted);
  }

  @Test
  void listCommands_printOneNamePerLine() {
    encryptOne("orders");
    encryptOne("payments");

    assertThat(admin("keks")).isZero();
    assertThat(out).isEqualTo("ops_kek\n");
    assertThat(admin("subjects", "ops_kek")).isZero();
    assertThat(out.lines()).containsExactlyInAnyOrder("orders-value", "payments-value");
    assertThat(admin("versions", "ops_kek", "orders-value")).isZero();
    assertThat(out).isEqualTo("1\n");
  }

  @Test
  void softDeleteThenUndelete_hidesAndRestoresTheVersions() {
    encryptOne("orders");

    assertThat(admin("delete", "ops_kek", "orders-value")).isZero();
    assertThat(out)
        .isEqualTo("Deleted DEK 'orders-value' (every version) (AES256_GCM) under KEK 'ops_kek'\n");
    admin("versions", "ops_kek", "orders-value");
    assertThat(out).isEmpty();
    admin("versions", "ops_kek", "orders-value", "--deleted");
    assertThat(out).isEqualTo("1 (deleted)\n");

    assertThat(admin("undelete", "ops_kek", "orders-value", "--version", "1")).isZero();
    admin("versions", "ops_kek", "orders-value");
    assertThat(out).isEqualTo("1\n");
  }

  @Test
  void permanentDeleteAfterSoftDelete_shredsTheData() {
    Struct encrypted = encryptOne("orders");
    assertThat(decrypt("orders", encrypted)).isEqualTo("alice@example.com");

    assertThat(admin("delete", "ops_kek", "orders-value")).isZero();
    assertThat(admin("delete", "ops_kek", "orders-value", "--permanent")).isZero();
    assertThat(out).endsWith("permanently\n");

    admin("versions", "ops_kek", "orders-value", "--deleted");
    assertThat(out).isEmpty();
    assertThatThrownBy(() -> decrypt("orders", encrypted))
        .isInstanceOf(DataException.class)
        .hasMessageNotContaining("alice");
  }

  @Test
  void failedOperation_exitsWithOneAndNamesTheStore() {
    encryptOne("orders");

    // Confluent refuses a permanent delete of a DEK that was not soft-deleted first.
    assertThat(admin("delete", "ops_kek", "orders-value", "--permanent")).isEqualTo(1);
    assertThat(err).startsWith("delete failed on the DEK registry " + registry.url());
    assertThat(out).isEmpty();
  }

  @Test
  void rewrap_rewrapsEveryVersionAndTheDataStillDecrypts() {
    Struct encrypted = encryptOne("orders");
    registry.clearRequests();

    assertThat(admin("rewrap", "orders-value")).isZero();

    assertThat(out).isEqualTo("Re-wrapped DEK 'orders-value' versions [1] under KEK 'ops_kek'\n");
    assertThat(registry.requests()).anyMatch(r -> r.hasQueryParam("rewrap=true"));
    assertThat(decrypt("orders", encrypted)).isEqualTo("alice@example.com");
  }

  @Test
  void rewrapWithoutAKekName_saysWhatIsMissing() throws IOException {
    encryptOne("orders");
    Map<String, String> withoutKek = new HashMap<>(transform);
    withoutKek.remove("encrypt.kek.name");
    config = properties(withoutKek);

    assertThat(admin("rewrap", "orders-value")).isEqualTo(1);
    assertThat(err).contains("rewrap needs encrypt.kek.name");
  }

  @Test
  void badUsage_exitsWithTwoAndPrintsTheUsage() {
    assertThat(run()).isEqualTo(2);
    assertThat(err).startsWith("No command given").contains("Usage: csfle-dek-admin");
    assertThat(admin("shred", "x")).isEqualTo(2);
    assertThat(err).startsWith("Unknown command shred");
    assertThat(admin("versions", "ops_kek")).isEqualTo(2);
    assertThat(err).startsWith("versions takes 2 argument(s), got 1");
    assertThat(admin("delete", "k", "s", "--version", "0")).isEqualTo(2);
    assertThat(err).startsWith("--version must be a whole number >= 1, got 0");
    assertThat(admin("keks", "--permanent")).isEqualTo(2);
    assertThat(run("keks")).isEqualTo(2);
    assertThat(err).startsWith("--config FILE is required");
    assertThat(run("--help")).isZero();
    assertThat(out).startsWith("Usage: csfle-dek-admin");
  }

  @Test
  void unreadableOrInvalidConfig_exitsWithTwo() throws IOException {
    assertThat(run("--config", dir.resolve("missing.properties").toString(), "keks")).isEqualTo(2);
    assertThat(err).startsWith("Cannot use ");

    config = properties(Map.of("dek.store", "kafka"));
    assertThat(admin("keks")).isEqualTo(2);
    assertThat(err).contains("dek.store.bootstrap.servers");
  }
}
