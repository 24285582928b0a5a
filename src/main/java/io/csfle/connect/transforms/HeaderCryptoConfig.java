package io.csfle.connect.transforms;

import io.csfle.connect.config.DecryptFailureKeys;
import io.csfle.connect.config.FieldCryptoConfig;
import io.csfle.connect.config.HeaderKeys;
import io.csfle.connect.config.HeaderSelection;
import io.csfle.connect.config.KeySpec;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The header transforms' configuration: {@code headers}, the shared KEK, KMS, registry and DEK
 * store groups under the names {@code EncryptField} uses, and {@code DecryptHeaders}' failure
 * policy.
 */
final class HeaderCryptoConfig extends FieldCryptoConfig {
  private static final List<KeySpec> DECRYPT_HEADERS_KEYS =
      List.of(
          DecryptFailureKeys.spec(
              "What to do with a chosen header that is not a ciphertext of its name (plaintext,"
                  + " altered, moved from another header, or its DEK is gone): 'fail'"
                  + " (default) fails the record with an error naming topic, partition, offset"
                  + " and header; 'passthrough' keeps the header as it came and logs a warning,"
                  + " so a plaintext header added by anyone upstream reaches the sink."
                  + " Registry or KMS outages and access errors always fail."));

  HeaderCryptoConfig(ConfigDef definition, Map<?, ?> props) {
    super(definition, props);
  }

  /** {@code EncryptHeaders}' definition. */
  static ConfigDef encryptHeadersDefinition() {
    return HeaderKeys.definition();
  }

  /** {@code DecryptHeaders}' definition: also its failure policy. */
  static ConfigDef decryptHeadersDefinition() {
    return KeySpec.defineAll(HeaderKeys.definition(), null, DECRYPT_HEADERS_KEYS);
  }

  HeaderSelection headerSelection() {
    return HeaderKeys.selection(this);
  }

  /** {@code dek.subject}, by default {@code ${topic}-headers}; may not read a chosen header. */
  SubjectTemplate headerSubjects() {
    return HeaderKeys.subjectTemplate(this, headerSelection());
  }

  /** DecryptHeaders only: {@code decrypt.on.failure=passthrough}. */
  boolean passThroughOnFailure() {
    return DecryptFailureKeys.passThrough(this);
  }
}
