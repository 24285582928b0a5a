package io.csfle.connect.reencrypt;

import io.csfle.connect.config.KekKeys;
import java.util.HashMap;
import java.util.Map;

/**
 * Rules across keys of a {@link ReencryptSourceConfig}, each reported on the key to fix. Checks
 * that need a cluster are in {@link TargetChecks}.
 */
final class CrossKeyRules {
  private CrossKeyRules() {}

  static Map<String, String> errors(ReencryptSourceConfig config) {
    Map<String, String> errors = new HashMap<>(SubjectRules.errors(config));
    boolean hasList = !config.topics().isEmpty();
    boolean hasRegex = config.topicsRegex() != null;
    if (hasList == hasRegex) {
      errors.put(
          hasList ? ReencryptSourceConfig.TOPICS_REGEX_CONFIG : ReencryptSourceConfig.TOPICS_CONFIG,
          "exactly one of topics and topics.regex must be set");
    }
    if (config.rotateOnStart() && config.getInt(KekKeys.EXPIRY_DAYS_CONFIG) == 0) {
      errors.put(
          ReencryptSourceConfig.ROTATE_ON_START_CONFIG,
          "needs encrypt.dek.expiry.days > 0: without rotation mode every DEK is version 1");
    }
    if (config.sourcePlaintext() && config.verifyOnly()) {
      errors.put(
          ReencryptSourceConfig.MODE_CONFIG,
          "verify decrypts the source; source.plaintext has nothing to decrypt");
    }
    if (config.sourcePlaintext()
        && ReencryptSourceConfig.blankToNull(
                config.getString(ReencryptSourceConfig.SOURCE_KEK_NAME_CONFIG))
            != null) {
      errors.put(
          ReencryptSourceConfig.SOURCE_KEK_NAME_CONFIG,
          "source.plaintext is true: the source has no KEK to name");
    }
    if (config.errorsTopic() != null && config.sourcePlaintext()) {
      errors.put(
          ReencryptSourceConfig.ERRORS_TOPIC_CONFIG,
          "with source.plaintext a failed record would be copied there in plaintext; leave it"
              + " empty so that such a record fails the task");
    }
    if (config.errorsTopic() != null && config.verifyOnly()) {
      errors.put(
          ReencryptSourceConfig.ERRORS_TOPIC_CONFIG,
          "verify mode writes nothing; it reports failures instead");
    }
    if (!config.sourcePlaintext() && !config.inPlace() && sameKeysOnBothSides(config)) {
      errors.put(
          ReencryptSourceConfig.SOURCE_KEK_NAME_CONFIG,
          "source and target use the same KEK, algorithm, mode and subject and rotate.on.start is"
              + " false: there is nothing to re-encrypt");
    }
    return errors;
  }

  private static boolean sameKeysOnBothSides(ReencryptSourceConfig config) {
    String sourceKek =
        ReencryptSourceConfig.blankToNull(
            config.getString(ReencryptSourceConfig.SOURCE_KEK_NAME_CONFIG));
    return (sourceKek == null || sourceKek.equals(config.getString(KekKeys.KEK_NAME_CONFIG)))
        && ReencryptSourceConfig.blankToNull(
                config.getString(ReencryptSourceConfig.SOURCE_ALGORITHM_CONFIG))
            == null
        && config.getInt(ReencryptSourceConfig.SOURCE_EXPIRY_DAYS_CONFIG) == null
        && ReencryptSourceConfig.blankToNull(
                config.getString(ReencryptSourceConfig.SOURCE_SUBJECT_CONFIG))
            == null
        && !config.rotateOnStart();
  }
}
