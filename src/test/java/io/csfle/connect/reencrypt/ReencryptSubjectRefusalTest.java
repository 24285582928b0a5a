package io.csfle.connect.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * The job's subject rules: record-data templates are accepted on both sides, but not one that reads
 * a field the job encrypts or decrypts or a header, nor rotate.on.start with a record-data target;
 * each is refused by {@code validate()} on the key to fix and at start, by connector and task.
 */
class ReencryptSubjectRefusalTest {
  private static Map<String, String> config() {
    // No registry or cluster is reached: the subject rules come before anything that would.
    Map<String, String> config = ReencryptFixtures.jobConfig("http://localhost:1");
    config.put("name", "job");
    config.put("connector.class", ReencryptSourceConnector.class.getName());
    return config;
  }

  private static ReencryptSourceConnector connector() {
    return new ReencryptSourceConnector(
        props -> {
          throw new AssertionError("no consumer expected");
        },
        props -> {
          throw new AssertionError("no admin expected");
        });
  }

  private static Map<String, List<String>> errors(Map<String, String> config) {
    Map<String, List<String>> errors = new HashMap<>();
    for (ConfigValue value : connector().validate(config).configValues()) {
      if (!value.errorMessages().isEmpty()) {
        errors.put(value.name(), value.errorMessages());
      }
    }
    return errors;
  }

  private static void assertRefused(Map<String, String> config, String key, String message) {
    assertThat(errors(config).get(key)).singleElement().asString().contains(message);
    assertThatThrownBy(() -> connector().start(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(message);
    assertThatThrownBy(() -> new ReencryptSourceTask().start(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key)
        .hasMessageContaining(message);
  }

  @Test
  void targetSubjectReadingAnEncryptedField_isRefusedByValidateAndStart() {
    Map<String, String> config = config();
    config.put("dek.subject", "customer-${value.email}");

    assertRefused(config, "dek.subject", "reads the field 'email'");
  }

  @Test
  void targetSubjectReadingAFieldInsideAnEncryptedOne_isRefused() {
    Map<String, String> config = config();
    config.put("dek.subject", "customer-${value.amount.currency|value.id}");

    assertRefused(config, "dek.subject", "reads the field 'amount'");
  }

  @Test
  void sourceSubjectReadingAnEncryptedField_isRefusedByValidateAndStart() {
    Map<String, String> config = config();
    config.put("source.dek.subject", "customer-${value.email}");

    assertRefused(config, "source.dek.subject", "reads the field 'email'");
  }

  @Test
  void headerSubject_isRefusedOnEitherSide() {
    Map<String, String> target = config();
    target.put("dek.subject", "customer-${header.customer}");
    assertRefused(target, "dek.subject", SubjectRules.HEADER_REFUSED);

    Map<String, String> source = config();
    source.put("source.dek.subject", "customer-${value.id|header.customer}");
    assertRefused(source, "source.dek.subject", SubjectRules.HEADER_REFUSED);
  }

  @Test
  void rotateOnStart_withARecordDataTarget_isRefused() {
    Map<String, String> config = config();
    config.put("dek.subject", "customer-${value.id}");
    config.put("source.dek.subject", "${topic}-value");
    config.put("rotate.on.start", "true");

    assertRefused(config, "rotate.on.start", SubjectRules.ROTATE_REFUSED);
  }

  @Test
  void recordDataSubjectsOnBothSides_passTheSubjectRules() {
    Map<String, String> config = config();
    config.put("dek.subject", "customer-${value.id}");
    config.put("source.dek.subject", "${topic}-value");
    assertThat(SubjectRules.errors(new ReencryptSourceConfig(config))).isEmpty();

    config.put("source.dek.subject", "client-${key|value.id}");
    config.put("dek.subject.fallback", "${topic}-unknown");
    assertThat(SubjectRules.errors(new ReencryptSourceConfig(config))).isEmpty();
  }

  @Test
  void malformedSourceSubject_isReportedOnIt() {
    Map<String, String> config = config();
    config.put("source.dek.subject", "customer-${value.id");

    assertThat(errors(config).get("source.dek.subject"))
        .singleElement()
        .asString()
        .contains("never closed");
  }

  @Test
  void topicOnlySubjects_passTheSubjectRules() {
    Map<String, String> config = config();
    config.put("dek.subject", "${topic}-v2");
    config.put("source.dek.subject", "${topic}-value");

    assertThat(SubjectRules.errors(new ReencryptSourceConfig(config))).isEmpty();
  }
}
