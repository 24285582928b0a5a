package io.csfle.connect.reencrypt;

import io.csfle.connect.config.KekKeys;
import io.csfle.connect.subject.SubjectTemplate;
import io.csfle.connect.subject.SubjectTemplateException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The job renders one DEK subject per topic (its routes, {@code rotate.on.start} and the key checks
 * all work by topic), so it refuses templates that read record data until it can render a subject
 * per record. Reported by {@code validate()} on the key to fix, and enforced at start.
 */
final class SubjectRules {
  static final String RECORD_DATA_REFUSED =
      "record-data DEK subjects are not supported by the re-encryption connector yet; use a"
          + " template that reads only ${topic}";

  private SubjectRules() {}

  /** {@code dek.subject} and {@code source.dek.subject} problems, by key; empty when none. */
  static Map<String, String> errors(ReencryptSourceConfig config) {
    Map<String, String> errors = new LinkedHashMap<>();
    check(errors, KekKeys.SUBJECT_CONFIG, config.getString(KekKeys.SUBJECT_CONFIG));
    check(
        errors,
        ReencryptSourceConfig.SOURCE_SUBJECT_CONFIG,
        config.getString(ReencryptSourceConfig.SOURCE_SUBJECT_CONFIG));
    return errors;
  }

  /**
   * Throws the first of {@link #errors}.
   *
   * @throws ConfigException naming the key and its problem
   */
  static void require(ReencryptSourceConfig config) {
    errors(config)
        .forEach(
            (key, message) -> {
              throw new ConfigException(key, config.getString(key), message);
            });
  }

  private static void check(Map<String, String> errors, String key, String template) {
    if (template == null || template.isBlank()) {
      return;
    }
    try {
      if (SubjectTemplate.parse(template).readsRecordData()) {
        errors.put(key, RECORD_DATA_REFUSED);
      }
    } catch (SubjectTemplateException e) {
      errors.put(key, e.getMessage());
    }
  }
}
