package io.csfle.connect.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.kafka.KafkaStoreTestSupport;
import io.csfle.connect.testkit.ClusterExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The key-operator tool on the embedded Kafka DEK store, which has no REST API of its own: the
 * commands of {@link KeyCommandsContract}, and shredding and re-wrapping.
 */
@Timeout(120)
class DekAdminKafkaStoreIT extends KeyCommandsContract {
  @RegisterExtension static final ClusterExtension clusters = KafkaStoreTestSupport.broker();

  private static final AtomicInteger TOPICS = new AtomicInteger();

  @Override
  protected Map<String, String> freshStore() {
    return transform("_csfle_keys_admin_contract_" + TOPICS.incrementAndGet());
  }

  private static Map<String, String> transform(String keyTopic) {
    Map<String, String> transform = new HashMap<>();
    transform.put("fields", "email");
    transform.put("dek.store", "kafka");
    transform.put("dek.store.bootstrap.servers", clusters.kafka().bootstrapServers());
    transform.put("dek.store.topic", keyTopic);
    transform.put("encrypt.kek.name", "ops_kek");
    transform.put("encrypt.kms.type", "local-kms");
    transform.put("encrypt.kms.key.id", "ops_kek");
    transform.put("kms.secret", "dek-admin-kafka-test-secret");
    return transform;
  }

  @Test
  void shreddingASubject_makesItsDataUndecryptableForEveryNewReader() throws Exception {
    Map<String, String> transform = transform("_csfle_keys_admin_shred");
    Struct orders = AdminCli.encryptOne(transform, "orders");
    Struct payments = AdminCli.encryptOne(transform, "payments");
    Path config = AdminCli.properties(dir, transform);

    AdminCli.Result subjects = AdminCli.run(AdminCli.withConfig(config, "subjects", "ops_kek"));
    assertThat(subjects.status()).isZero();
    assertThat(subjects.out().lines()).containsExactlyInAnyOrder("orders-value", "payments-value");

    assertThat(AdminCli.run(AdminCli.withConfig(config, "delete", "ops_kek", "orders-value")))
        .extracting(AdminCli.Result::status)
        .isEqualTo(0);
    AdminCli.Result shred =
        AdminCli.run(
            AdminCli.withConfig(config, "delete", "ops_kek", "orders-value", "--permanent"));
    assertThat(shred.status()).as(shred.err()).isZero();

    assertThatThrownBy(() -> AdminCli.decrypt(transform, "orders", orders))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("does not exist");
    assertThat(AdminCli.decrypt(transform, "payments", payments)).isEqualTo("alice@example.com");
    AdminCli.Result left =
        AdminCli.run(AdminCli.withConfig(config, "subjects", "ops_kek", "--deleted"));
    assertThat(left.out()).isEqualTo("payments-value\n");
  }

  @Test
  void rewrap_onTheKeyTopic_keepsTheDataDecryptable() throws Exception {
    Map<String, String> transform = transform("_csfle_keys_admin_rewrap");
    Struct orders = AdminCli.encryptOne(transform, "orders");
    Path config = AdminCli.properties(dir, transform);

    AdminCli.Result rewrap = AdminCli.run(AdminCli.withConfig(config, "rewrap", "orders-value"));

    assertThat(rewrap.status()).as(rewrap.err()).isZero();
    assertThat(rewrap.out())
        .isEqualTo("Re-wrapped DEK 'orders-value' versions [1] under KEK 'ops_kek'\n");
    assertThat(AdminCli.decrypt(transform, "orders", orders)).isEqualTo("alice@example.com");
  }

  @Test
  void updateKekToShared_isRefusedOnTheKeyTopic() throws Exception {
    Path config = AdminCli.properties(dir, transform("_csfle_keys_admin_shared"));
    AdminCli.run(AdminCli.withConfig(config, "register", "orders-value"));

    AdminCli.Result shared =
        AdminCli.run(AdminCli.withConfig(config, "update-kek", "ops_kek", "--shared", "true"));

    assertThat(shared.status()).isEqualTo(2);
    assertThat(shared.err())
        .startsWith("update-kek --shared true is refused on the embedded Kafka store");
    assertThat(AdminCli.run(AdminCli.withConfig(config, "keks", "--json")).out())
        .contains("\"shared\":false");
  }
}
