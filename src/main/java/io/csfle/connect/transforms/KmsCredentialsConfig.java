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

  /**
   * One client-side KMS property: its config key, and the provider property it becomes.
   *
   * @param name the provider property; the config key is {@code kms.<name>} unless {@code
   *     configKey} says otherwise
   */
  private record Key(String name, String configKey, Type type, String doc) {
    Key(String name, Type type, String doc) {
      this(name, PREFIX + name, type, doc);
    }
  }

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
              "KMS endpoint override (a VPC endpoint or an emulator): a URL for aws-kms,"
                  + " host:port for gcp-kms."),
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
              "hcvault, azure-kms: PEM file of CA certificates to trust for the KMS's TLS"
                  + " certificate, instead of the JVM's default trust store."),
          new Key(
              "tenant.id",
              Type.STRING,
              "azure-kms: Entra ID tenant of the service principal; with kms.client.id and"
                  + " kms.client.secret. When all three are empty, the default Azure credential"
                  + " chain (environment, managed identity, workload identity) is used."),
          new Key(
              "client.id",
              Type.STRING,
              "azure-kms: client (application) id; gcp-kms: the service account's client id."),
          new Key("client.secret", Type.PASSWORD, "azure-kms: client secret."),
          new Key(
              "key.version.save",
              "encrypt.azure.key.version.save",
              Type.STRING,
              "azure-kms: 'true' writes the key version as an azure:v1:<version>: prefix of the"
                  + " wrapped DEK, as Confluent's option of the same name; unwrap reads both."),
          new Key(
              "client.email",
              Type.STRING,
              "gcp-kms: service account email; with kms.private.key. When empty:"
                  + " kms.credentials.path, else Application Default Credentials."),
          new Key("private.key", Type.PASSWORD, "gcp-kms: service account private key (PEM)."),
          new Key("private.key.id", Type.PASSWORD, "gcp-kms: id of the service account key."),
          new Key("account.type", Type.STRING, "gcp-kms: 'service_account' (the only type)."),
          new Key(
              "credentials.path",
              Type.STRING,
              "gcp-kms: path of a service account credentials JSON file."));

  private static final String GROUP = "KMS credentials";

  private KmsCredentialsConfig() {}

  static void define(ConfigDef def) {
    int order = 0;
    for (Key key : KEYS) {
      def.define(
          key.configKey(),
          key.type(),
          null,
          Importance.MEDIUM,
          key.doc(),
          GROUP,
          ++order,
          Width.MEDIUM,
          key.configKey());
    }
  }

  /** The set properties, by their Confluent name (without the prefix). */
  static Map<String, String> credentials(AbstractConfig config) {
    Map<String, String> credentials = new HashMap<>();
    for (Key key : KEYS) {
      String value =
          key.type() == Type.PASSWORD
              ? passwordValue(config.getPassword(key.configKey()))
              : config.getString(key.configKey());
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
