package io.csfle.connect.transforms;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * Client-side KMS credentials and settings: Confluent's property names under one prefix, {@code
 * kms.} (e.g. {@code kms.secret}, {@code kms.access.key.id}). Secrets are {@code PASSWORD} typed,
 * so Connect masks them and config providers ({@code ${file:...}}, {@code ${env:...}}) work. They
 * reach the KMS provider without the prefix, overlaid on the KEK's registry {@code kmsProps}.
 */
final class KmsCredentialsConfig {
  static final String PREFIX = "kms.";
  static final String SECRET_CONFIG = PREFIX + "secret";

  /** One client-side KMS property. */
  private record Key(String name, Type type, String doc) {}

  private static final List<Key> KEYS =
      List.of(
          new Key(
              "secret",
              Type.PASSWORD,
              "local-kms: the secret the KEK is derived from. When empty, the worker's LOCAL_SECRET"
                  + " environment variable is used."));

  private static final String GROUP = "KMS credentials";

  private KmsCredentialsConfig() {}

  static void define(ConfigDef def) {
    int order = 0;
    for (Key key : KEYS) {
      def.define(
          PREFIX + key.name(),
          key.type(),
          null,
          Importance.MEDIUM,
          key.doc(),
          GROUP,
          ++order,
          Width.MEDIUM,
          PREFIX + key.name());
    }
  }

  /** The set properties, by their Confluent name (without the prefix). */
  static Map<String, String> credentials(AbstractConfig config) {
    Map<String, String> credentials = new HashMap<>();
    for (Key key : KEYS) {
      String value =
          key.type() == Type.PASSWORD
              ? passwordValue(config.getPassword(PREFIX + key.name()))
              : config.getString(PREFIX + key.name());
      if (value != null && !value.isEmpty()) {
        credentials.put(key.name(), value);
      }
    }
    return credentials;
  }

  private static String passwordValue(Password password) {
    return password == null ? null : password.value();
  }
}
