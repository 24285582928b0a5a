package io.csfle.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.PluginVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

class TransformConfigTest {

  private static Map<String, String> valid() {
    Map<String, String> config = new HashMap<>();
    config.put("fields", "email,customer.email");
    config.put("schema.registry.url", "http://localhost:8081");
    config.put("encrypt.kek.name", "kek");
    config.put("encrypt.kms.type", "local-kms");
    config.put("encrypt.kms.key.id", "kek");
    return config;
  }

  private static Map<String, String> errorsOf(ConfigDef def, Map<String, String> config) {
    return def.validate(config).stream()
        .filter(v -> !v.errorMessages().isEmpty())
        .collect(Collectors.toMap(ConfigValue::name, v -> String.join("; ", v.errorMessages())));
  }

  @Test
  void validConfig_hasNoErrors() {
    assertThat(errorsOf(EncryptField.CONFIG_DEF, valid())).isEmpty();
    assertThat(errorsOf(DecryptField.CONFIG_DEF, valid())).isEmpty();
  }

  @Test
  void badValues_areReportedPerKeyWithUsefulMessages() {
    Map<String, String> config = valid();
    config.put("encrypt.dek.algorithm", "DES");
    config.put("encrypt.kms.type", "nope-kms");
    config.put("encrypt.dek.expiry.days", "-1");
    config.put("fields", "a..b");
    config.put("schema.registry.url", "not a url");
    config.put("missing.field.behavior", "ignore");

    Map<String, String> errors = errorsOf(EncryptField.CONFIG_DEF, config);

    assertThat(errors.keySet())
        .containsExactlyInAnyOrder(
            "encrypt.dek.algorithm",
            "encrypt.kms.type",
            "encrypt.dek.expiry.days",
            "fields",
            "schema.registry.url",
            "missing.field.behavior");
    assertThat(errors.get("encrypt.dek.algorithm")).contains("AES256_GCM");
    assertThat(errors.get("encrypt.kms.type")).contains("local-kms");
    assertThat(errors.get("fields")).contains("a..b");
  }

  @Test
  void missingRequiredKeys_areReported_registryUrlOnlyAtConfigureSinceTheStoreDecides() {
    Map<String, String> errors = errorsOf(EncryptField.CONFIG_DEF, Map.of());
    assertThat(errors.keySet())
        .contains("fields", "encrypt.kek.name")
        .doesNotContain("schema.registry.url", "dek.store.bootstrap.servers");
  }

  @Test
  void configure_registryStoreWithoutUrl_configExceptionNamingTheKey() {
    Map<String, String> config = valid();
    config.remove("schema.registry.url");
    EncryptField.Value<org.apache.kafka.connect.source.SourceRecord> transform =
        new EncryptField.Value<>();
    assertThatThrownBy(() -> transform.configure(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("dek.store=registry");
  }

  @Test
  void configure_kafkaStoreWithoutBootstrapServers_configExceptionNamingTheKey() {
    Map<String, String> config = valid();
    config.remove("schema.registry.url");
    config.put("dek.store", "kafka");
    DecryptField.Value<org.apache.kafka.connect.source.SourceRecord> transform =
        new DecryptField.Value<>();
    assertThatThrownBy(() -> transform.configure(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dek.store.bootstrap.servers");
  }

  @Test
  void badDekStoreValues_areReportedPerKey() {
    Map<String, String> config = valid();
    config.put("dek.store", "zookeeper");
    config.put("dek.store.topic.partitions", "0");
    config.put("dek.store.topic.replication.factor", "0");
    config.put("dek.store.topic.min.insync.replicas", "0");
    config.put("dek.store.topic", "");

    assertThat(errorsOf(EncryptField.CONFIG_DEF, config).keySet())
        .containsExactlyInAnyOrder(
            "dek.store",
            "dek.store.topic.partitions",
            "dek.store.topic.replication.factor",
            "dek.store.topic.min.insync.replicas",
            "dek.store.topic");
    config.put("dek.store", "KAFKA");
    config.put("dek.store.topic", "_keys");
    config.put("dek.store.topic.partitions", "3");
    config.put("dek.store.topic.replication.factor", "-1");
    config.put("dek.store.topic.min.insync.replicas", "2");
    assertThat(errorsOf(EncryptField.CONFIG_DEF, config)).isEmpty();
  }

  @Test
  void emptyFieldList_isRejected() {
    Map<String, String> config = valid();
    config.put("fields", "");
    assertThat(errorsOf(EncryptField.CONFIG_DEF, config)).containsKey("fields");
  }

  @Test
  void urlWithCredentials_isNeverEchoedInErrors() {
    Map<String, String> config = valid();
    config.put("schema.registry.url", "ftp://user:s3cr3t@host:8081");
    assertThat(errorsOf(EncryptField.CONFIG_DEF, config).get("schema.registry.url"))
        .doesNotContain("s3cr3t");
  }

  @Test
  void configure_rejectsBadConfigWithConfigException() {
    Map<String, String> config = valid();
    config.put("encrypt.dek.algorithm", "DES");
    EncryptField.Value<org.apache.kafka.connect.source.SourceRecord> transform =
        new EncryptField.Value<>();
    assertThatThrownBy(() -> transform.configure(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("encrypt.dek.algorithm");
  }

  @Test
  void secrets_arePasswordTyped() {
    for (String key : List.of("kms.secret", "basic.auth.user.info", "bearer.auth.token")) {
      assertThat(EncryptField.CONFIG_DEF.configKeys().get(key).type)
          .as(key)
          .isEqualTo(ConfigDef.Type.PASSWORD);
    }
  }

  @Test
  void everyKey_isDocumentedInCodeAndInTheDocs() throws IOException {
    String docs = Files.readString(Path.of("docs/configuration.md"));
    String reference = Files.readString(Path.of("docs/configuration-reference.md"));
    for (ConfigDef def :
        List.of(
            EncryptField.CONFIG_DEF,
            DecryptField.CONFIG_DEF,
            EncryptHeaders.CONFIG_DEF,
            DecryptHeaders.CONFIG_DEF)) {
      for (ConfigDef.ConfigKey key : def.configKeys().values()) {
        assertThat(key.documentation).as(key.name).isNotBlank();
        assertThat(docs).as("docs/configuration.md on " + key.name).contains("`" + key.name + "`");
        assertThat(reference)
            .as("docs/configuration-reference.md row of " + key.name)
            .contains("| `" + key.name + "` |");
      }
    }
  }

  @Test
  void version_isThePluginsNotKafkas() {
    assertThat(new EncryptField.Value<>().version())
        .isEqualTo(PluginVersion.get())
        .isNotEqualTo(AppInfoParser.getVersion())
        .matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(new DecryptField.Key<>().version()).isEqualTo(PluginVersion.get());
    assertThat(new EncryptHeaders<>().version()).isEqualTo(PluginVersion.get());
  }

  @Test
  void serviceManifest_listsEveryTransform() throws IOException {
    String manifest =
        Files.readString(
            Path.of(
                "src/main/resources/META-INF/services/"
                    + "org.apache.kafka.connect.transforms.Transformation"));
    assertThat(manifest.lines())
        .containsExactlyInAnyOrder(
            EncryptField.Key.class.getName(), EncryptField.Value.class.getName(),
            DecryptField.Key.class.getName(), DecryptField.Value.class.getName(),
            EncryptHeaders.class.getName(), DecryptHeaders.class.getName());
  }

  @Test
  void alternateKeyIdsAndKmsCredentials_reachTheKekSettingsWithoutPrefix() {
    Map<String, String> config = valid();
    config.put("encrypt.alternate.kms.key.ids", "replica-1, replica-2");
    config.put("kms.access.key.id", "AKIA1");
    config.put("kms.token.id", "t0ken");
    config.put("encrypt.azure.key.version.save", "true");
    io.csfle.connect.dek.KekSettings settings =
        new CsfleConfig(EncryptField.CONFIG_DEF, config).kekSettings();

    assertThat(settings.alternateKmsKeyIds()).containsExactly("replica-1", "replica-2");
    assertThat(settings.kmsCredentials())
        .containsEntry("access.key.id", "AKIA1")
        .containsEntry("token.id", "t0ken")
        .containsEntry("key.version.save", "true")
        .doesNotContainKey("secret");
    assertThat(settings.toString()).doesNotContain("t0ken").doesNotContain("AKIA1");
  }
}
