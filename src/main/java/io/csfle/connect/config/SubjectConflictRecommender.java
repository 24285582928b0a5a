package io.csfle.connect.config;

import io.csfle.connect.field.FieldPath;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reports, in {@code config/validate}, a {@code dek.subject} that reads a field its transform
 * encrypts or decrypts ({@link SubjectTemplate#conflictWith}). A validator sees one key's value; a
 * recommender sees every parsed key of the transform (Connect embeds a transform's {@code
 * ConfigDef} under its prefix and strips it again for recommenders), and an exception it throws
 * becomes an error message on the key. It offers no values and hides nothing. A value that does not
 * parse is left to its key's validator; {@code configure()} repeats the check.
 */
final class SubjectConflictRecommender implements ConfigDef.Recommender {
  private final boolean keySide;

  SubjectConflictRecommender(boolean keySide) {
    this.keySide = keySide;
  }

  @Override
  public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
    String problem = conflict(parsedConfig);
    if (problem != null) {
      throw new ConfigException(name, parsedConfig.get(name), problem);
    }
    return new ArrayList<>(); // ConfigDef may filter this list in place
  }

  @Override
  public boolean visible(String name, Map<String, Object> parsedConfig) {
    return true;
  }

  private String conflict(Map<String, Object> parsed) {
    Object template = parsed.get(KekKeys.SUBJECT_CONFIG);
    Object fields = parsed.get(FieldKeys.FIELDS_CONFIG);
    if (!(template instanceof String text) || text.isBlank() || !(fields instanceof List<?>)) {
      return null;
    }
    try {
      List<String> paths = new ArrayList<>();
      ((List<?>) fields).forEach(path -> paths.add(String.valueOf(path)));
      return SubjectTemplate.parse(text).conflictWith(FieldPath.parseAll(paths), keySide);
    } catch (RuntimeException unparsable) {
      return null; // the key's own validator reports it
    }
  }
}
