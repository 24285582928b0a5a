package io.csfle.connect.config;

import static io.csfle.connect.config.KeySpec.key;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * {@code decrypt.on.failure}, the failure policy of the decrypting transforms: 'fail' or
 * 'passthrough'. One name, validator and reading for {@code DecryptField} and {@code
 * DecryptHeaders}; each says in its own doc what passing through means for it.
 */
public final class DecryptFailureKeys {
  public static final String ON_FAILURE_CONFIG = "decrypt.on.failure";

  private DecryptFailureKeys() {}

  /** The key, documented with {@code doc}. */
  public static KeySpec spec(String doc) {
    return key(ON_FAILURE_CONFIG, Type.STRING, "fail", Importance.MEDIUM, doc)
        .validatedBy(ConfigDef.CaseInsensitiveValidString.in("fail", "passthrough"));
  }

  /** True for {@code decrypt.on.failure=passthrough}. */
  public static boolean passThrough(AbstractConfig config) {
    return "passthrough".equalsIgnoreCase(config.getString(ON_FAILURE_CONFIG));
  }
}
