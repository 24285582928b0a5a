package io.csfle.connect.reencrypt;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.storage.Converter;

/** Validators of single keys of {@link ReencryptSourceConfig}. */
final class ConfigValidators {
  private ConfigValidators() {}

  /**
   * A validator that refuses the values {@code refused} matches with {@code problem}.
   *
   * @param description what is accepted, as {@code config/validate} shows it
   */
  static ConfigDef.Validator refusing(
      Predicate<Object> refused, String problem, String description) {
    return ConfigDef.LambdaValidator.with(
        (name, value) -> {
          if (refused.test(value)) {
            throw new ConfigException(name, value, problem);
          }
        },
        () -> description);
  }

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
