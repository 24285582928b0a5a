package io.csfle.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testing.LeakWatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DEK registry URL may carry {@code user:password@} (basic.auth.credentials.source=URL): the
 * password must never reach a log (our config dump, the worker's dump of the connector config that
 * embeds the transform's keys) or an error; and a URL that cannot work must be refused by {@code
 * config/validate} and {@code configure()}, not by every record.
 */
class RegistryUrlConfigAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String PASSWORD = "the-password-9f3a";
  private static final String KEY = "schema.registry.url";

  private static Map<String, String> configWithUrl(String url) {
    leaks.secret(PASSWORD);
    Map<String, String> config = new HashMap<>();
    config.put("fields", "email");
    config.put("encrypt.kek.name", "test_kek");
    config.put("encrypt.kms.type", "local-kms");
    config.put("encrypt.kms.key.id", "test-key");
    config.put("kms.secret", TransformFixtures.SECRET);
    config.put(KEY, url);
    return config;
  }

  private static Map<String, String> errorsOf(Map<String, String> config) {
    return EncryptField.CONFIG_DEF.validate(config).stream()
        .filter(v -> !v.errorMessages().isEmpty())
        .collect(Collectors.toMap(ConfigValue::name, v -> String.join("; ", v.errorMessages())));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://user:" + PASSWORD + "@reghost:99999",
        "http://user:" + PASSWORD + "@reghost:0",
        "htp:/x",
        "http://user:" + PASSWORD + "@reg host:8081",
        "http://reghost:8081/dek path",
        "http://reghost:8081, https://user:" + PASSWORD + "@reghost:123456",
        "http:///no-host",
        "http://reghost:8081/?token=" + PASSWORD,
        " ",
        " , "
      })
  void unusableUrl_isReportedOnItsKeyWithoutEchoingIt(String url) {
    Map<String, String> errors = errorsOf(configWithUrl(url));

    assertThat(errors).containsOnlyKeys(KEY);
    assertThat(errors.get(KEY)).contains(KEY).doesNotContain(PASSWORD).doesNotContain("reghost");
    Throwable thrown = leaks.thrown(() -> TransformFixtures.encryptValue(configWithUrl(url)));
    assertThat(thrown)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(KEY)
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void outOfRangePort_namesWhichUrlOfTheList() {
    String urls = "http://a:8081,http://b:99999";

    assertThat(errorsOf(configWithUrl(urls)).get(KEY))
        .contains("URL 2 of 2")
        .contains("port 99999");
  }

  @Test
  void goodUrls_includingUserInfo_areAccepted() {
    assertThat(errorsOf(configWithUrl("http://user:" + PASSWORD + "@registry:8081/sr/"))).isEmpty();
    assertThat(errorsOf(configWithUrl("https://a:443, http://b,"))).isEmpty();
  }

  @Test
  void configDumps_neverShowTheUrlPassword() {
    try (InMemoryDekRegistryServer registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT)) {
      registry.requireBasicAuth("user", PASSWORD);
      String url = registry.url().replace("://", "://user:" + PASSWORD + "@");
      Map<String, String> config = configWithUrl(url);
      config.put("basic.auth.credentials.source", "URL");
      int linesBefore = leaks.capturedLines();

      // Our own dump: AbstractConfig logs every value at INFO when the transform is configured.
      EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config);
      try {
        Struct value = TransformFixtures.value(1, "a@example.com", null);
        assertThat(encrypt.apply(TransformFixtures.sourceRecord(TransformFixtures.VALUE, value)))
            .isNotNull();
      } finally {
        encrypt.close();
      }
      // The worker's dump: the connector config embeds each transformation's definitions under
      // transforms.<alias>. and is an AbstractConfig too (ConnectorConfig.EnrichedConnectorConfig).
      ConfigDef enriched = new ConfigDef();
      enriched.embed("transforms.encrypt.", "encrypt", 0, EncryptField.CONFIG_DEF);
      Map<String, String> connectorConfig =
          config.entrySet().stream()
              .collect(
                  Collectors.toMap(e -> "transforms.encrypt." + e.getKey(), e -> e.getValue()));
      new AbstractConfig(enriched, connectorConfig);

      List<String> dumped = leaks.lines().subList(linesBefore, leaks.lines().size());
      assertThat(dumped).anyMatch(line -> line.contains(KEY + " = [hidden]"));
      assertThat(dumped)
          .anyMatch(line -> line.contains("transforms.encrypt." + KEY + " = [hidden]"));
      assertThat(dumped).noneMatch(line -> line.contains(PASSWORD));
    }
  }
}
