package io.csfle.connect.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forget} run against each DEK store: the registry fake ({@link ForgetRegistryTest}) and the
 * embedded Kafka store ({@link ForgetKafkaStoreIT}), with the same output and exit codes.
 */
abstract class ForgetContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Schema CUSTOMER =
      SchemaBuilder.struct()
          .field("customer_id", Schema.STRING_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .build();
  static final long NOW = Instant.parse("2026-12-04T12:00:00Z").toEpochMilli();

  @TempDir Path dir;

  /** A transform's settings (with {@code fields}) on a store no other test uses. */
  protected abstract Map<String, String> freshStore();

  /** False for a store that keeps one algorithm per subject (AxonOps). */
  protected boolean keepsAlgorithmsApart() {
    return true;
  }

  Map<String, String> transform;
  Path config;
  AdminCli.Result result;

  @BeforeEach
  void newStore() throws IOException {
    transform = new HashMap<>(freshStore());
    transform.put("dek.subject", "customer-${value.customer_id}");
    // Ordinary DEKs under ops_kek, as entities written before the key hierarchy have; the
    // hierarchy's entity keys (the default) are forgotten in forgetEntityKeys_*.
    transform.put("dek.entity.wrap", "kms");
    config = AdminCli.properties(dir, transform);
  }

  int admin(String... commandLine) {
    result = AdminCli.runAt(NOW, AdminCli.withConfig(config, commandLine));
    return result.status();
  }

  /** {@code customer}'s record, encrypted as a connector would. */
  Struct encrypted(String customer) {
    try (EncryptField<SourceRecord> encrypt = new EncryptField.Value<>()) {
      encrypt.configure(transform);
      Struct value =
          new Struct(CUSTOMER).put("customer_id", customer).put("email", customer + "@example.com");
      return (Struct)
          encrypt.apply(new SourceRecord(null, null, "customers", 0, CUSTOMER, value)).value();
    }
  }

  /** The email of {@code encrypted}, decrypted by a new DecryptField (no cached DEKs). */
  String decrypted(Struct encrypted) {
    try (DecryptField<SourceRecord> decrypt = new DecryptField.Value<>()) {
      decrypt.configure(transform);
      SourceRecord record =
          new SourceRecord(null, null, "customers", 0, encrypted.schema(), encrypted);
      return ((Struct) decrypt.apply(record).value()).getString("email");
    }
  }

  private String subjects(String kek) {
    admin("subjects", kek, "--deleted");
    return result.out();
  }

  @Test
  void forgetOneSubject_destroysItsDeksOnly_andTheOthersStillDecrypt() {
    Struct alice = encrypted("41");
    Struct bob = encrypted("42");

    assertThat(admin("forget", "customer-41")).as(result.err()).isZero();

    assertThat(result.out())
        .startsWith(
            "Forgot DEK 'customer-41' versions [1] (AES256_GCM) under KEK 'ops_kek' at"
                + " 2026-12-04T12:00:00Z on the ")
        .doesNotContainIgnoringCase("keymaterial");
    assertThat(result.out().lines()).hasSize(1);
    assertThatThrownBy(() -> decrypted(alice))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("forgotten");
    assertThat(decrypted(bob)).isEqualTo("42@example.com");
    assertThat(subjects("ops_kek")).isEqualTo("customer-42\n");
  }

  @Test
  void forgetJson_isOneAuditRecord_withoutKeyMaterial() throws IOException {
    encrypted("41");

    assertThat(admin("forget", "customer-41", "--json")).as(result.err()).isZero();

    assertThat(result.out().lines()).hasSize(1);
    JsonNode audit = JSON.readTree(result.out());
    assertThat(audit.get("event").asText()).isEqualTo("forget");
    assertThat(audit.get("at").asText()).isEqualTo("2026-12-04T12:00:00Z");
    assertThat(audit.get("store").asText()).isNotBlank();
    assertThat(audit.get("pattern").isNull()).isTrue();
    assertThat(audit.get("destroyed").toString())
        .isEqualTo(
            "[{\"kekName\":\"ops_kek\",\"subject\":\"customer-41\",\"algorithm\":\"AES256_GCM\","
                + "\"versions\":[1]}]");
    assertThat(result.out()).doesNotContainIgnoringCase("material").doesNotContain("secret");
    assertThat(subjects("ops_kek")).isEmpty();
  }

  @Test
  void forget_destroysEveryAlgorithmAndVersionOfTheSubject() throws IOException {
    assumeTrue(keepsAlgorithmsApart(), "this store holds one algorithm per subject");
    transform.put("encrypt.dek.expiry.days", "1");
    config = AdminCli.properties(dir, transform);
    encrypted("41");
    assertThat(
            AdminCli.runAt(
                    NOW + 2 * 86_400_000L,
                    AdminCli.withConfig(config, "register", "customer-41", "--rotate-expired"))
                .status())
        .isZero();
    assertThat(admin("register", "customer-41", "--algorithm", "AES256_SIV"))
        .as(result.err())
        .isZero();

    assertThat(admin("forget", "customer-41", "--json")).as(result.err()).isZero();

    JsonNode destroyed = JSON.readTree(result.out()).get("destroyed");
    assertThat(destroyed).hasSize(2);
    assertThat(destroyed.at("/0/versions").toString()).isEqualTo("[1,2]");
    assertThat(destroyed.at("/1/algorithm").asText()).isEqualTo("AES256_SIV");
    admin("versions", "ops_kek", "customer-41", "--deleted");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void forgetEntityKeys_destroysTheSubjectUnderBothKeks_andOnlyThatEntityIsForgotten()
      throws IOException {
    Map<String, String> ordinary = transform;
    transform = new HashMap<>(ordinary);
    transform.remove("dek.entity.wrap");
    try {
      Struct alice = encrypted("41");
      Struct bob = encrypted("42");
      assertThat(subjects("ops_kek-entities")).isEqualTo("customer-41\ncustomer-42\n");
      // An ordinary DEK of the same subject as well, so that it has DEKs under both KEKs.
      assertThat(admin("register", "customer-41")).as(result.err()).isZero();

      assertThat(admin("forget", "customer-41", "--json")).as(result.err()).isZero();

      JsonNode audit = JSON.readTree(result.out());
      assertThat(audit.findValuesAsText("kekName")).containsExactly("ops_kek", "ops_kek-entities");
      assertThat(audit.findValuesAsText("subject")).containsOnly("customer-41");
      assertThat(subjects("ops_kek-entities")).isEqualTo("customer-42\n");
      assertThat(subjects("ops_kek")).doesNotContain("customer-41");
      assertThatThrownBy(() -> decrypted(alice))
          .isInstanceOf(DataException.class)
          .hasMessageContaining("forgotten");
      assertThat(decrypted(bob)).isEqualTo("42@example.com");
    } finally {
      transform = ordinary;
    }
  }

  @Test
  void patternMatchingSeveralSubjects_isRefusedWithTheCountOnly_andDestroysNothing() {
    encrypted("41");
    encrypted("42");
    encrypted("51");

    assertThat(admin("forget", "--pattern", "customer-4*")).isEqualTo(2);

    assertThat(result.err()).contains("matches 2 subjects").doesNotContain("customer-41");
    assertThat(result.out()).isEmpty();
    assertThat(subjects("ops_kek").lines())
        .containsExactlyInAnyOrder("customer-41", "customer-42", "customer-51");
  }

  @Test
  void patternWithAllMatching_forgetsEveryMatch_andNothingElse() throws IOException {
    encrypted("41");
    encrypted("42");
    Struct other = encrypted("51");

    assertThat(admin("forget", "--pattern", "customer-4?", "--all-matching", "--json"))
        .as(result.err())
        .isZero();

    JsonNode audit = JSON.readTree(result.out());
    assertThat(audit.get("pattern").asText()).isEqualTo("customer-4?");
    assertThat(audit.findValuesAsText("subject")).containsExactly("customer-41", "customer-42");
    assertThat(subjects("ops_kek")).isEqualTo("customer-51\n");
    assertThat(decrypted(other)).isEqualTo("51@example.com");
  }

  @Test
  void patternMatchingTheParentOfEntityKeys_isRefusedEvenWithAllMatching_andDestroysNothing()
      throws IOException {
    transform.remove("dek.entity.wrap"); // entity keys under a parent DEK 'customers-entities'
    config = AdminCli.properties(dir, transform);
    Struct alice = encrypted("41");
    assertThat(subjects("ops_kek")).isEqualTo("customers-entities\n");

    assertThat(admin("forget", "--pattern", "customer*", "--all-matching")).isEqualTo(2);

    assertThat(result.err()).contains("customers-entities").contains("nothing was destroyed");
    assertThat(subjects("ops_kek")).isEqualTo("customers-entities\n");
    assertThat(decrypted(alice)).isEqualTo("41@example.com");
  }

  @Test
  void patternMatchingOneSubject_forgetsItWithoutAllMatching() {
    encrypted("41");
    encrypted("51");

    assertThat(admin("forget", "--pattern", "customer-4*")).as(result.err()).isZero();

    assertThat(result.out()).contains("'customer-41'");
    assertThat(subjects("ops_kek")).isEqualTo("customer-51\n");
  }

  @Test
  void forgettingWhatDoesNotExist_exitsWithOne_andPrintsNoAuditRecord() {
    encrypted("41");

    assertThat(admin("forget", "customer-99", "--json")).isEqualTo(1);
    assertThat(result.err()).contains("nothing to forget").contains("customer-99");
    assertThat(result.out()).isEmpty();

    assertThat(admin("forget", "--pattern", "nobody-*")).isEqualTo(1);
    assertThat(result.err()).contains("nothing to forget");

    assertThat(admin("forget", "customer-41")).isZero();
    assertThat(admin("forget", "customer-41")).isEqualTo(1);
  }

  @Test
  void forgettingASoftDeletedSubject_destroysItPermanently() {
    encrypted("41");
    assertThat(admin("delete", "ops_kek", "customer-41")).isZero();

    assertThat(admin("forget", "customer-41")).as(result.err()).isZero();

    assertThat(subjects("ops_kek")).isEmpty();
  }

  @Test
  void allMatchingWithoutPattern_isBadUsage() {
    assertThat(admin("forget", "customer-41", "--all-matching")).isEqualTo(2);
    assertThat(admin("versions", "ops_kek", "customer-41", "--pattern")).isEqualTo(2);
  }
}
