package io.csfle.connect.config;

import io.csfle.connect.subject.SubjectTemplate;
import io.csfle.connect.subject.SubjectTemplateException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Accepts an empty value or a subject template that parses; with {@code recordData} false, only a
 * template that reads nothing but the topic (the fallback's rule).
 */
final class SubjectTemplateValidator implements ConfigDef.Validator {
  private final boolean recordData;

  SubjectTemplateValidator(boolean recordData) {
    this.recordData = recordData;
  }

  /** Parses {@code text}, the value of {@code key}, or says what is wrong with it. */
  static SubjectTemplate parse(String key, String text) {
    try {
      return SubjectTemplate.parse(text);
    } catch (SubjectTemplateException e) {
      throw new ConfigException(key, text, e.getMessage());
    }
  }

  @Override
  public void ensureValid(String name, Object value) {
    if (value == null
        || value.toString().isBlank()) { // blank: the default, as configure() reads it
      return;
    }
    SubjectTemplate template = parse(name, value.toString());
    if (!recordData && template.readsRecordData()) {
      throw new ConfigException(name, value, "may use only ${topic}, no record data");
    }
  }

  @Override
  public String toString() {
    return recordData
        ? "a template of text and ${topic}, ${key}, ${key.<path>}, ${value.<path>},"
            + " ${header.<name>}, alternatives separated by |"
        : "empty, or a template of text and ${topic}";
  }
}
