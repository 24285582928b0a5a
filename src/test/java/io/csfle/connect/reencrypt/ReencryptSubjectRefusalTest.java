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
 * The job renders one DEK subject per topic, so it refuses templates that read record data, in
 * {@code validate()} and at start, and keeps topic-only templates working.
 */
class ReencryptSubjectRefusalTest {
  private static final String REFUSED =
      "record-data DEK subjects are not supported by the re-encryption connector yet";

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

  @Test
  void recordDataTargetSubject_isRefusedByValidateAndStart() {
    Map<String, String> config = config();
    config.put("dek.subject", "customer-${value.customer_id}");

    assertThat(errors(config).get("dek.subject")).singleElement().asString().contains(REFUSED);
    assertThatThrownBy(() -> connector().start(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("dek.subject")
        .hasMessageContaining(REFUSED);
  }

  @Test
  void recordDataSourceSubject_isRefusedByValidateAndStart() {
    Map<String, String> config = config();
    config.put("source.dek.subject", "customer-${header.customer}");

    assertThat(errors(config).get("source.dek.subject"))
        .singleElement()
        .asString()
        .contains(REFUSED);
    assertThatThrownBy(() -> connector().start(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("source.dek.subject")
        .hasMessageContaining(REFUSED);
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
