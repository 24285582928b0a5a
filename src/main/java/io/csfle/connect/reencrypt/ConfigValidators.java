package io.csfle.connect.reencrypt;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.storage.Converter;

/** Validators of single keys of {@link ReencryptSourceConfig}. */
final class ConfigValidators {
  private ConfigValidators() {}

  /** Accepts an empty value or a valid Java regular expression. */
  static final class Regex implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || value.toString().isBlank()) {
        return;
      }
      try {
        Pattern.compile(value.toString());
      } catch (PatternSyntaxException e) {
        throw new ConfigException(name, value, "not a regular expression: " + e.getDescription());
      }
    }

    @Override
    public String toString() {
      return "a Java regular expression";
    }
  }

  /** Accepts classes that implement {@link Converter}. */
  static final class ConverterClass implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value instanceof Class<?> type && !Converter.class.isAssignableFrom(type)) {
        throw new ConfigException(name, value, "not a " + Converter.class.getName());
      }
    }

    @Override
    public String toString() {
      return "a Converter class";
    }
  }
}
