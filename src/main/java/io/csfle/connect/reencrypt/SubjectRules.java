package io.csfle.connect.reencrypt;

import io.csfle.connect.config.KekKeys;
import io.csfle.connect.subject.SubjectSource;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The job's DEK subject templates. Either side may read record data: the target's {@code
 * dek.subject} then gives each record its entity's subject (and entity key) as {@code EncryptField}
 * would, and the source's is rendered from each record as read, to find the entity keys the source
 * was written under. A template may not read a field the job encrypts or decrypts ({@link
 * SubjectTemplate#conflictWith}, the transforms' rule): it would be rendered from ciphertext on one
 * side of the job and from plaintext on the other. Nor may it read a header: the job copies headers
 * as bytes, and cannot know how the readers' header converter turns them into the values their
 * subjects are rendered from. {@code rotate.on.start} rotates one DEK per target topic, so it needs
 * a target subject that reads only the topic. Reported by {@code validate()} on the key to fix, and
 * enforced at start.
 */
final class SubjectRules {
  static final String ROTATE_REFUSED =
      "rotate.on.start rotates one DEK per target topic; with a dek.subject that reads record"
          + " data each entity has its own key, so there is no topic DEK to rotate";

  static final String HEADER_REFUSED =
      "the re-encryption connector copies headers as bytes and cannot render a subject from"
          + " them as the readers' header converter would; use ${key}, ${key.<path>} or"
          + " ${value.<path>}";

  private SubjectRules() {}

  /** Subject problems, by key; empty when none. */
  static Map<String, String> errors(ReencryptSourceConfig config) {
    Map<String, String> errors = new LinkedHashMap<>();
    SubjectTemplate target = check(errors, KekKeys.SUBJECT_CONFIG, config, true);
    if (ReencryptSourceConfig.blankToNull(
            config.getString(ReencryptSourceConfig.SOURCE_SUBJECT_CONFIG))
        != null) {
      check(errors, ReencryptSourceConfig.SOURCE_SUBJECT_CONFIG, config, false);
    }
    if (target != null && target.readsRecordData() && config.rotateOnStart()) {
      errors.put(ReencryptSourceConfig.ROTATE_ON_START_CONFIG, ROTATE_REFUSED);
    }
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
              throw new ConfigException(key, config.originals().get(key), message);
            });
  }

  /** The side's template, or null when it does not parse (reported on {@code key}). */
  private static SubjectTemplate check(
      Map<String, String> errors, String key, ReencryptSourceConfig config, boolean target) {
    SubjectTemplate template;
    try {
      template = target ? config.targetSubjects() : config.sourceSubjects();
    } catch (ConfigException e) {
      errors.put(key, e.getMessage());
      return null;
    }
    String conflict = template.conflictWith(config.fieldPaths(), false);
    if (conflict != null) {
      errors.put(key, conflict);
    } else if (template.sources().stream()
        .anyMatch(source -> source.kind() == SubjectSource.Kind.HEADER)) {
      errors.put(key, HEADER_REFUSED);
    }
    return template;
  }
}
