package io.csfle.connect.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * register, update-kek and --json, run against each DEK store: the registry fake ({@link
 * KeyCommandsRegistryTest}) and the embedded Kafka store ({@link DekAdminKafkaStoreIT}). Both must
 * give the same output and exit codes.
 */
abstract class KeyCommandsContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long DAY = 86_400_000L;

  @TempDir Path dir;

  /** A transform's settings (with {@code fields}) on a store no other test uses. */
  protected abstract Map<String, String> freshStore();

  private Map<String, String> transform;
  private Path config;
  private AdminCli.Result result;

  @BeforeEach
  void newStore() throws IOException {
    transform = new HashMap<>(freshStore());
    config = AdminCli.properties(dir, transform);
  }

  private int admin(String... commandLine) {
    return adminAt(System.currentTimeMillis(), commandLine);
  }

  private int adminAt(long epochMillis, String... commandLine) {
    result = AdminCli.runAt(epochMillis, AdminCli.withConfig(config, commandLine));
    return result.status();
  }

  private String out() {
    return result.out();
  }

  /** Stdout must be exactly one JSON document. */
  private JsonNode json() throws IOException {
    assertThat(out().lines()).hasSize(1);
    return JSON.readTree(out());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private void useSettings(String key, String value) throws IOException {
    transform.put(key, value);
    config = AdminCli.properties(dir, transform);
  }

  @Test
  void register_createsTheKekAndDekOnce_andTheWritersUseThem() {
    assertThat(admin("register", "orders-value")).as(result.err()).isZero();
    assertThat(out().lines())
        .containsExactly(
            "Created KEK 'ops_kek' (local-kms://ops_kek)",
            "Created DEK 'orders-value' version 1 (AES256_GCM) under KEK 'ops_kek'");

    assertThat(admin("register", "orders-value")).isZero();
    assertThat(out().lines())
        .hasSize(2)
        .first()
        .isEqualTo("Found KEK 'ops_kek' (local-kms://ops_kek)");
    assertThat(out().lines().skip(1).findFirst().orElseThrow())
        .startsWith("Found DEK 'orders-value' version 1 (AES256_GCM) under KEK 'ops_kek', created ")
        .doesNotContain("expired");

    Struct encrypted = AdminCli.encryptOne(transform, "orders");
    assertThat(AdminCli.decrypt(transform, "orders", encrypted)).isEqualTo("alice@example.com");
    admin("versions", "ops_kek", "orders-value", "--deleted");
    assertThat(out()).isEqualTo("1\n");
  }

  @Test
  void registerJson_saysWhatWasCreated_withoutKeyMaterial() throws IOException {
    assertThat(admin("register", "orders-value", "--algorithm", "AES256_SIV", "--json")).isZero();
    JsonNode first = json();
    assertThat(fieldNames(first))
        .containsExactly("kek", "kekCreated", "dek", "dekCreated", "expired");
    assertThat(fieldNames(first.get("kek")))
        .containsExactly(
            "name", "kmsType", "kmsKeyId", "kmsProps", "doc", "shared", "ts", "deleted");
    assertThat(fieldNames(first.get("dek")))
        .containsExactly("kekName", "subject", "version", "algorithm", "ts", "deleted");
    assertThat(first.get("kekCreated").asBoolean()).isTrue();
    assertThat(first.get("dekCreated").asBoolean()).isTrue();
    assertThat(first.at("/dek/algorithm").asText()).isEqualTo("AES256_SIV");
    assertThat(first.at("/kek/kmsType").asText()).isEqualTo("local-kms");
    assertThat(out()).doesNotContainIgnoringCase("keymaterial").doesNotContain("secret");

    admin("register", "orders-value", "--algorithm", "AES256_SIV", "--json");
    JsonNode second = json();
    assertThat(second.get("kekCreated").asBoolean()).isFalse();
    assertThat(second.get("dekCreated").asBoolean()).isFalse();
    assertThat(second.at("/dek/version").asInt()).isEqualTo(1);
    assertThat(second.at("/dek/ts").asLong()).isEqualTo(first.at("/dek/ts").asLong());
  }

  @Test
  void registerRotateExpired_createsANewVersionOnlyOnceTheCurrentOneIsExpired() throws IOException {
    useSettings("encrypt.dek.expiry.days", "3");
    long now = System.currentTimeMillis();
    assertThat(adminAt(now, "register", "orders-value")).as(result.err()).isZero();
    assertThat(adminAt(now, "register", "orders-value", "--rotate-expired")).isZero();
    assertThat(out()).contains("Found DEK 'orders-value' version 1").doesNotContain("expired");

    long later = now + 4 * DAY;
    assertThat(adminAt(later, "register", "orders-value", "--json")).isZero();
    assertThat(json().get("expired").asBoolean()).isTrue();
    assertThat(adminAt(later, "register", "orders-value")).isZero();
    assertThat(out()).contains("version 1").contains("expired: writers create the next version");

    assertThat(adminAt(later, "register", "orders-value", "--rotate-expired")).isZero();
    assertThat(out()).contains("Created DEK 'orders-value' version 2 (AES256_GCM)");
    // Version 2 is as old as the store's clock says: none, at the real time.
    assertThat(adminAt(now, "register", "orders-value", "--rotate-expired", "--json")).isZero();
    JsonNode again = json();
    assertThat(again.get("dekCreated").asBoolean()).isFalse();
    assertThat(again.get("expired").asBoolean()).isFalse();
    assertThat(again.at("/dek/version").asInt()).isEqualTo(2);
    admin("versions", "ops_kek", "orders-value");
    assertThat(out()).isEqualTo("1\n2\n");
  }

  @Test
  void registerRotateExpiredWithoutExpiryDays_exitsWithTwoAndCreatesNothing() {
    assertThat(admin("register", "orders-value", "--rotate-expired")).isEqualTo(2);
    assertThat(result.err()).contains("needs encrypt.dek.expiry.days > 0");
    admin("keks");
    assertThat(out()).isEmpty();
  }

  @Test
  void registerWithAnotherKmsKeyThanTheRegisteredKek_exitsWithOneNamingBoth() throws IOException {
    admin("register", "orders-value");
    useSettings("encrypt.kms.key.id", "other_key");

    assertThat(admin("register", "payments-value")).isEqualTo(1);
    assertThat(result.err())
        .startsWith("register failed on the ")
        .contains("local-kms://ops_kek")
        .contains("local-kms://other_key");
    admin("subjects", "ops_kek");
    assertThat(out()).isEqualTo("orders-value\n");
  }

  @Test
  void updateKek_changesPropsDocAndShared_andKeepsTheKmsKey() throws IOException {
    admin("register", "orders-value");

    assertThat(
            admin(
                "update-kek",
                "ops_kek",
                "--kms-prop",
                "region=eu-west-1",
                "--kms-prop",
                "owner=payments",
                "--doc",
                "PII of the \"orders\" team",
                "--json"))
        .as(result.err())
        .isZero();
    JsonNode kek = json();
    assertThat(kek.get("kmsProps").toString())
        .isEqualTo("{\"owner\":\"payments\",\"region\":\"eu-west-1\"}");
    assertThat(kek.get("doc").asText()).isEqualTo("PII of the \"orders\" team");
    assertThat(kek.get("kmsKeyId").asText()).isEqualTo("ops_kek");
    assertThat(kek.get("shared").asBoolean()).isFalse();

    assertThat(admin("update-kek", "ops_kek", "--remove-kms-prop", "owner")).isZero();
    assertThat(out())
        .isEqualTo(
            "Updated KEK 'ops_kek' (local-kms://ops_kek): kmsProps {region=eu-west-1},"
                + " doc 'PII of the \"orders\" team', shared false\n");

    admin("keks", "--json");
    JsonNode listed = json();
    assertThat(listed.size()).isEqualTo(1);
    assertThat(listed.get(0).get("kmsProps").toString()).isEqualTo("{\"region\":\"eu-west-1\"}");
    Struct encrypted = AdminCli.encryptOne(transform, "orders");
    assertThat(AdminCli.decrypt(transform, "orders", encrypted)).isEqualTo("alice@example.com");
  }

  @Test
  void updateKekWithACredentialOrANewKmsKey_isRefusedAndChangesNothing() throws IOException {
    admin("register", "orders-value");

    assertThat(admin("update-kek", "ops_kek", "--kms-prop", "secret.access.key=abc")).isEqualTo(2);
    assertThat(result.err())
        .startsWith("--kms-prop secret.access.key refused: it looks like a credential")
        .doesNotContain("abc");
    assertThat(admin("update-kek", "ops_kek", "--kms-prop", "KMS_TOKEN=abc")).isEqualTo(2);
    assertThat(admin("update-kek", "ops_kek", "--kms-key-id", "other")).isEqualTo(2);
    assertThat(result.err()).startsWith("update-kek cannot change a KEK's kmsType or kmsKeyId");
    assertThat(admin("update-kek", "ops_kek")).isEqualTo(2);
    assertThat(result.err()).startsWith("update-kek needs --kms-prop");
    assertThat(admin("update-kek", "ops_kek", "--shared", "yes")).isEqualTo(2);

    admin("keks", "--json");
    assertThat(json().get(0).get("kmsProps").size()).isZero();
  }

  @Test
  void updateKekOfAMissingKek_exitsWithOne() {
    assertThat(admin("update-kek", "nobody", "--doc", "x")).isEqualTo(1);
    assertThat(result.err()).startsWith("update-kek failed on the ").contains("'nobody'");
    assertThat(out()).isEmpty();
  }

  @Test
  void listingsAndRewrapInJson_useTheRegistryFieldNames() throws IOException {
    AdminCli.encryptOne(transform, "orders");
    AdminCli.encryptOne(transform, "payments");
    admin("delete", "ops_kek", "payments-value");

    assertThat(admin("subjects", "ops_kek", "--json", "--deleted")).isZero();
    assertThat(json().toString())
        .isIn(
            "[{\"kekName\":\"ops_kek\",\"subject\":\"orders-value\"},"
                + "{\"kekName\":\"ops_kek\",\"subject\":\"payments-value\"}]",
            "[{\"kekName\":\"ops_kek\",\"subject\":\"payments-value\"},"
                + "{\"kekName\":\"ops_kek\",\"subject\":\"orders-value\"}]");
    assertThat(admin("versions", "ops_kek", "payments-value", "--json")).isZero();
    assertThat(json().size()).isZero();
    assertThat(admin("versions", "ops_kek", "payments-value", "--json", "--deleted")).isZero();
    JsonNode deleted = json().get(0);
    assertThat(deleted.get("deleted").asBoolean()).isTrue();
    assertThat(deleted.get("version").asInt()).isEqualTo(1);
    assertThat(deleted.get("ts").asLong()).isPositive();
    assertThat(out()).doesNotContainIgnoringCase("keymaterial");

    assertThat(admin("rewrap", "orders-value", "--json")).isZero();
    assertThat(json().toString())
        .isEqualTo(
            "{\"kekName\":\"ops_kek\",\"subject\":\"orders-value\","
                + "\"algorithm\":\"AES256_GCM\",\"versions\":[1]}");
    assertThat(admin("delete", "ops_kek", "orders-value", "--json")).isEqualTo(2);
    assertThat(result.err()).startsWith("--json only applies to forget, keks, register, rewrap");
  }
}
