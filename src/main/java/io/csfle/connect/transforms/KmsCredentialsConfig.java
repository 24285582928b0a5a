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
                  + " environment variable is used."),
          new Key(
              "access.key.id",
              Type.PASSWORD,
              "aws-kms: access key id; with kms.secret.access.key. When empty: kms.profile, else"
                  + " the AWS default credential chain (environment, instance or pod role)."),
          new Key("secret.access.key", Type.PASSWORD, "aws-kms: secret access key."),
          new Key("profile", Type.STRING, "aws-kms: named profile of the AWS shared credentials."),
          new Key(
              "role.arn",
              Type.STRING,
              "aws-kms: role to assume (STS AssumeRole) with the credentials above."),
          new Key("role.session.name", Type.STRING, "aws-kms: session name of the assumed role."),
          new Key("role.external.id", Type.PASSWORD, "aws-kms: external id of the assumed role."),
          new Key(
              "endpoint",
              Type.STRING,
              "KMS endpoint override (a VPC endpoint or an emulator); aws-kms."),
          new Key("sts.endpoint", Type.STRING, "aws-kms: STS endpoint override for kms.role.arn."),
          new Key(
              "token.id",
              Type.PASSWORD,
              "hcvault: Vault token. When empty: AppRole (kms.approle.*), else the VAULT_TOKEN"
                  + " environment variable."),
          new Key(
              "namespace",
              Type.STRING,
              "hcvault: Vault Enterprise namespace (else the VAULT_NAMESPACE environment"
                  + " variable)."),
          new Key("approle.role.id", Type.PASSWORD, "hcvault: AppRole role id."),
          new Key("approle.secret.id", Type.PASSWORD, "hcvault: AppRole secret id."),
          new Key(
              "ca.cert.path",
              Type.STRING,
              "hcvault: PEM file of CA certificates to trust for Vault's TLS certificate, instead"
                  + " of the JVM's default trust store."));

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
