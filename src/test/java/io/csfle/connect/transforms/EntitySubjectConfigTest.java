package io.csfle.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A DEK subject template may not read what its transform encrypts: the writer would render the
 * subject from plaintext and the reader from ciphertext. Refused at configure() and reported by
 * validation on {@code dek.subject}, for each side; malformed templates and fallbacks likewise.
 */
class EntitySubjectConfigTest {
  private static final String PREFIX = "transforms.protect.";
  private final InMemoryDekRegistryServer registry =
      InMemoryDekRegistryServer.start(Mode.CONFLUENT);

  @AfterEach
  void stop() {
    registry.close();
  }

  private Map<String, String> config(String fields, String subject) {
    Map<String, String> config = new HashMap<>(TransformFixtures.config(registry, fields));
    config.put("dek.subject", subject);
    return config;
  }

  /**
   * What Connect's config/validate reports: the transform's definition embedded under its alias.
   */
  private static Map<String, String> validationErrors(
      Transformation<SourceRecord> transform, Map<String, String> config) {
    ConfigDef connector = new ConfigDef();
    connector.embed(PREFIX, "protect", 0, transform.config());
    Map<String, String> prefixed = new HashMap<>();
    config.forEach((k, v) -> prefixed.put(PREFIX + k, v));
    return connector.validate(prefixed).stream()
        .filter(v -> !v.errorMessages().isEmpty())
        .collect(
            Collectors.toMap(
                v -> v.name().substring(PREFIX.length()),
                v -> String.join("; ", v.errorMessages())));
  }

  private static void assertRefused(
      Supplier<Transformation<SourceRecord>> side, Map<String, String> config, String problem) {
    assertThat(validationErrors(side.get(), config))
        .containsOnlyKeys("dek.subject")
        .extractingByKey("dek.subject")
        .asString()
        .contains(problem);
    Transformation<SourceRecord> transform = side.get();
    assertThatThrownBy(() -> transform.configure(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dek.subject")
        .hasMessageContaining(problem);
    transform.close();
  }

  @Test
  void valueTemplateReadingAnEncryptedField_isRefusedForValueTransforms() {
    assertRefused(
        EncryptField.Value::new, config("email,ssn", "c-${value.email}"), "'value.email'");
    assertRefused(
        DecryptField.Value::new, config("email,ssn", "c-${value.id|value.ssn}"), "'value.ssn'");
  }

  @Test
  void valueTemplateAboveOrUnderAnEncryptedField_isRefused() {
    assertRefused(
        EncryptField.Value::new,
        config("customer.email", "c-${value.customer}"),
        "'customer.email'");
    assertRefused(
        EncryptField.Value::new, config("customer", "c-${value.customer.id}"), "'customer'");
    assertRefused(
        DecryptField.Value::new, config("items[*].sku", "c-${value.items.first}"), "'items[*]");
  }

  @Test
  void keyTemplates_areRefusedForKeyTransformsOnly() {
    assertRefused(EncryptField.Key::new, config("ssn", "c-${key}"), "source 'key'");
    assertRefused(DecryptField.Key::new, config("ssn", "c-${key.ssn}"), "'key.ssn'");

    assertThat(validationErrors(new EncryptField.Value<>(), config("ssn", "c-${key.ssn}")))
        .isEmpty();
    assertThat(validationErrors(new EncryptField.Key<>(), config("ssn", "c-${value.ssn}")))
        .isEmpty();
    assertThat(validationErrors(new EncryptField.Key<>(), config("ssn", "c-${key.id}"))).isEmpty();
  }

  @Test
  void templatesReadingOtherData_configure() {
    for (Transformation<SourceRecord> transform :
        java.util.List.<Transformation<SourceRecord>>of(
            new EncryptField.Value<>(), new EncryptField.Key<>())) {
      transform.configure(config("email", "c-${value.customer_id}-${key.id}-${header.h}"));
      transform.close();
    }
  }

  @Test
  void malformedTemplate_isReportedOnTheKey() {
    Map<String, String> config = config("email", "c-${value.id");

    assertThat(validationErrors(new EncryptField.Value<>(), config))
        .containsOnlyKeys("dek.subject")
        .extractingByKey("dek.subject")
        .asString()
        .contains("never closed");
    EncryptField<SourceRecord> transform = new EncryptField.Value<>();
    assertThatThrownBy(() -> transform.configure(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("never closed");
  }

  @Test
  void fallbackReadingRecordData_isRefused() {
    Map<String, String> config = config("email", "c-${value.id}");
    config.put("dek.subject.fallback", "${value.other}");

    assertThat(validationErrors(new DecryptField.Value<>(), config))
        .containsOnlyKeys("dek.subject.fallback")
        .extractingByKey("dek.subject.fallback")
        .asString()
        .contains("only ${topic}");
  }

  @Test
  void keyAndValueSides_defineTheSameKeys() {
    assertThat(new EncryptField.Key<>().config().configKeys().keySet())
        .isEqualTo(EncryptField.CONFIG_DEF.configKeys().keySet());
    assertThat(new DecryptField.Key<>().config().configKeys().keySet())
        .isEqualTo(DecryptField.CONFIG_DEF.configKeys().keySet());
  }
}
