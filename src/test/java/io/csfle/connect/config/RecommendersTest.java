package io.csfle.connect.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.kms.KekProviders;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** Which keys {@code config/validate} marks visible, and that visibility never refuses a value. */
class RecommendersTest {
  private static final ConfigDef DEF = FieldCryptoConfig.definition();

  private static Map<String, String> props(String... keyValues) {
    Map<String, String> props = new HashMap<>();
    props.put("fields", "email");
    props.put("encrypt.kek.name", "kek");
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    return props;
  }

  private static Map<String, ConfigValue> validate(Map<String, String> props) {
    return DEF.validate(props).stream().collect(Collectors.toMap(ConfigValue::name, v -> v));
  }

  private static Set<String> visibleWithPrefix(Map<String, ConfigValue> values, String prefix) {
    return values.values().stream()
        .filter(v -> v.name().startsWith(prefix) && v.visible())
        .map(ConfigValue::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> kmsKeysFor(String kmsType) {
    return visibleWithPrefix(validate(props("encrypt.kms.type", kmsType)), "kms.");
  }

  @Test
  void awsKms_showsOnlyTheAwsKeysAndTheSharedEndpoint() {
    assertThat(kmsKeysFor("aws-kms"))
        .containsExactlyInAnyOrder(
            "kms.access.key.id",
            "kms.secret.access.key",
            "kms.profile",
            "kms.role.arn",
            "kms.role.session.name",
            "kms.role.external.id",
            "kms.endpoint",
            "kms.sts.endpoint",
            "kms.region",
            "kms.aws.disable.dynamic.mrk");
  }

  @Test
  void localKms_showsOnlyTheSecret() {
    assertThat(kmsKeysFor("local-kms")).containsExactly("kms.secret");
  }

  @Test
  void keysOfSeveralTypes_areShownForEach() {
    assertThat(kmsKeysFor("gcp-kms")).contains("kms.endpoint", "kms.client.id");
    assertThat(kmsKeysFor("azure-kms")).contains("kms.client.id", "kms.ca.cert.path");
    assertThat(kmsKeysFor("hcvault")).contains("kms.ca.cert.path").doesNotContain("kms.endpoint");
  }

  @Test
  void azureKeyVersionSave_isShownOnlyForAzure() {
    assertThat(validate(props("encrypt.kms.type", "azure-kms")))
        .extractingByKey("encrypt.azure.key.version.save")
        .extracting(ConfigValue::visible)
        .isEqualTo(true);
    assertThat(validate(props("encrypt.kms.type", "aws-kms")))
        .extractingByKey("encrypt.azure.key.version.save")
        .extracting(ConfigValue::visible)
        .isEqualTo(false);
  }

  @Test
  void emptyOrUnknownKmsType_showsEveryKmsKey() {
    int all = KmsCredentialKeys.CREDENTIALS.size() - 1; // encrypt.azure.key.version.save
    assertThat(visibleWithPrefix(validate(props()), "kms.")).hasSize(all);
    assertThat(kmsKeysFor("")).hasSize(all);
    assertThat(kmsKeysFor("nope-kms")).hasSize(all);
  }

  @Test
  void everyCredential_namesItsTypesInItsDoc_andEachTypeShipsWithThePlugin() {
    KekProviders providers = KekProviders.standard();
    for (KmsCredentialKeys.Credential credential : KmsCredentialKeys.CREDENTIALS) {
      assertThat(credential.kmsTypes()).as(credential.configKey()).isNotEmpty();
      for (String type : credential.kmsTypes()) {
        assertThat(providers.supports(type)).as(type).isTrue();
        assertThat(credential.doc()).as(credential.configKey()).contains(type);
      }
    }
  }

  @Test
  void defaultRegistryStore_showsRegistryKeysAndHidesTopicKeys() {
    Map<String, ConfigValue> values = validate(props());
    assertThat(values.get("schema.registry.url").visible()).isTrue();
    assertThat(values.get("max.retries").visible()).isTrue();
    assertThat(visibleWithPrefix(values, "dek.store")).containsExactly("dek.store");
  }

  @Test
  void kafkaStore_showsTopicKeysAndHidesRegistryKeys() {
    Map<String, ConfigValue> values = validate(props("dek.store", "Kafka"));
    assertThat(visibleWithPrefix(values, "dek.store"))
        .containsExactlyInAnyOrder(
            "dek.store",
            "dek.store.bootstrap.servers",
            "dek.store.topic",
            "dek.store.topic.partitions",
            "dek.store.topic.replication.factor",
            "dek.store.topic.min.insync.replicas",
            "dek.store.cache.max.entries");
    for (String key :
        Set.of("schema.registry.url", "basic.auth.user.info", "bearer.auth.token", "max.retries")) {
      assertThat(values.get(key).visible()).as(key).isFalse();
    }
  }

  @Test
  void invalidStore_showsBothStoresKeys() {
    Map<String, ConfigValue> values = validate(props("dek.store", "zookeeper"));
    assertThat(values.get("schema.registry.url").visible()).isTrue();
    assertThat(values.get("dek.store.topic").visible()).isTrue();
  }

  @Test
  void hiddenKeys_areStillValidatedAndNeverRefusedForBeingHidden() {
    Map<String, ConfigValue> values =
        validate(
            props(
                "encrypt.kms.type", "local-kms",
                "kms.access.key.id", "AKIA1",
                "dek.store.topic", "keys",
                "schema.registry.url", "http://localhost:8081",
                "dek.store.topic.partitions", "0"));
    assertThat(values.get("kms.access.key.id").visible()).isFalse();
    assertThat(values.get("kms.access.key.id").errorMessages()).isEmpty();
    assertThat(values.get("dek.store.topic").errorMessages()).isEmpty();
    assertThat(values.get("dek.store.topic.partitions").visible()).isFalse();
    assertThat(values.get("dek.store.topic.partitions").errorMessages()).isNotEmpty();
    assertThat(values.values().stream().flatMap(v -> v.recommendedValues().stream())).isEmpty();
  }
}
