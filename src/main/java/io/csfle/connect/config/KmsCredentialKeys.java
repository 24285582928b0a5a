package io.csfle.connect.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * reach the KMS provider without the prefix, overlaid on the KEK's registry {@code kmsProps}: a
 * property set here wins over the same property registered with the KEK.
 */
public final class KmsCredentialKeys {
  public static final String PREFIX = "kms.";
  public static final String SECRET_CONFIG = PREFIX + "secret";

  static final String GROUP = "KMS credentials";

  private static final String LOCAL = "local-kms";
  private static final String AWS = "aws-kms";
  private static final String AZURE = "azure-kms";
  private static final String GCP = "gcp-kms";
  private static final String VAULT = "hcvault";

  /**
   * One client-side KMS property.
   *
   * @param property the provider property; the config key is {@code kms.<property>} unless {@code
   *     configKey} says otherwise
   * @param kmsTypes the {@code encrypt.kms.type}s that read it, for the recommender
   */
  record Credential(
      String property, String configKey, Type type, Set<String> kmsTypes, String doc) {
    Credential(String property, Type type, Set<String> kmsTypes, String doc) {
      this(property, PREFIX + property, type, kmsTypes, doc);
    }

    KeySpec spec() {
      return KeySpec.key(configKey, type, null, Importance.MEDIUM, doc)
          .shown(Width.MEDIUM, configKey);
    }
  }

  static final List<Credential> CREDENTIALS =
      List.of(
          new Credential(
              "secret",
              Type.PASSWORD,
              Set.of(LOCAL),
              "local-kms: the secret the KEK is derived from. When empty, the worker's LOCAL_SECRET"
                  + " environment variable is used."),
          new Credential(
              "access.key.id",
              Type.PASSWORD,
              Set.of(AWS),
              "aws-kms: access key id; with kms.secret.access.key. When empty: kms.profile, else"
                  + " the AWS default credential chain (environment, instance or pod role)."),
          new Credential(
              "secret.access.key", Type.PASSWORD, Set.of(AWS), "aws-kms: secret access key."),
          new Credential(
              "profile",
              Type.STRING,
              Set.of(AWS),
              "aws-kms: named profile of the AWS shared credentials."),
          new Credential(
              "role.arn",
              Type.STRING,
              Set.of(AWS),
              "aws-kms: role to assume (STS AssumeRole) with the credentials above."),
          new Credential(
              "role.session.name",
              Type.STRING,
              Set.of(AWS),
              "aws-kms: session name of the assumed role."),
          new Credential(
              "role.external.id",
              Type.PASSWORD,
              Set.of(AWS),
              "aws-kms: external id of the assumed role."),
          new Credential(
              "endpoint",
              Type.STRING,
              Set.of(AWS, GCP),
              "KMS endpoint override (a VPC endpoint or an emulator): a URL for aws-kms,"
                  + " host:port for gcp-kms."),
          new Credential(
              "region",
              Type.STRING,
              Set.of(AWS),
              "aws-kms: the region this worker uses multi-region keys in. A KEK whose key is a"
                  + " multi-region key ARN (key/mrk-...) calls its replica in this region, so DEKs"
                  + " wrapped in another region unwrap here. When empty: the KEK's registered"
                  + " region property, else the AWS SDK's default region (AWS_REGION, profile,"
                  + " instance metadata), else the ARN's own region. Other key ARNs and aliases"
                  + " always use their own region."),
          new Credential(
              "aws.disable.dynamic.mrk",
              Type.STRING,
              Set.of(AWS),
              "aws-kms: 'true' uses multi-region keys in the region of their ARN, as other keys;"
                  + " 'false' uses them in kms.region. When empty: the KEK's registered"
                  + " aws.disable.dynamic.mrk property, else false."),
          new Credential(
              "sts.endpoint",
              Type.STRING,
              Set.of(AWS),
              "aws-kms: STS endpoint override for kms.role.arn."),
          new Credential(
              "token.id",
              Type.PASSWORD,
              Set.of(VAULT),
              "hcvault: Vault token. When empty: AppRole (kms.approle.*), else the VAULT_TOKEN"
                  + " environment variable."),
          new Credential(
              "namespace",
              Type.STRING,
              Set.of(VAULT),
              "hcvault: Vault Enterprise namespace (else the VAULT_NAMESPACE environment"
                  + " variable)."),
          new Credential(
              "approle.role.id", Type.PASSWORD, Set.of(VAULT), "hcvault: AppRole role id."),
          new Credential(
              "approle.secret.id", Type.PASSWORD, Set.of(VAULT), "hcvault: AppRole secret id."),
          new Credential(
              "ca.cert.path",
              Type.STRING,
              Set.of(VAULT, AZURE),
              "hcvault, azure-kms: PEM file of CA certificates to trust for the KMS's TLS"
                  + " certificate, instead of the JVM's default trust store."),
          new Credential(
              "tenant.id",
              Type.STRING,
              Set.of(AZURE),
              "azure-kms: Entra ID tenant of the service principal; with kms.client.id and"
                  + " kms.client.secret. When all three are empty, the default Azure credential"
                  + " chain (environment, managed identity, workload identity) is used."),
          new Credential(
              "client.id",
              Type.STRING,
              Set.of(AZURE, GCP),
              "azure-kms: client (application) id; gcp-kms: the service account's client id."),
          new Credential(
              "client.secret", Type.PASSWORD, Set.of(AZURE), "azure-kms: client secret."),
          new Credential(
              "key.version.save",
              "encrypt.azure.key.version.save",
              Type.STRING,
              Set.of(AZURE),
              "azure-kms: 'true' writes the key version as an azure:v1:<version>: prefix of the"
                  + " wrapped DEK, as Confluent's option of the same name; unwrap reads both."),
          new Credential(
              "client.email",
              Type.STRING,
              Set.of(GCP),
              "gcp-kms: service account email; with kms.private.key. When empty:"
                  + " kms.credentials.path, else Application Default Credentials."),
          new Credential(
              "private.key",
              Type.PASSWORD,
              Set.of(GCP),
              "gcp-kms: service account private key (PEM)."),
          new Credential(
              "private.key.id",
              Type.PASSWORD,
              Set.of(GCP),
              "gcp-kms: id of the service account key."),
          new Credential(
              "account.type",
              Type.STRING,
              Set.of(GCP),
              "gcp-kms: 'service_account' (the only type)."),
          new Credential(
              "credentials.path",
              Type.STRING,
              Set.of(GCP),
              "gcp-kms: path of a service account credentials JSON file."));

  private KmsCredentialKeys() {}

  /** Defines the keys in {@code def}, in the "KMS credentials" group, shown per KMS type. */
  public static ConfigDef appendTo(ConfigDef def) {
    List<KeySpec> specs = new ArrayList<>();
    Map<String, Set<String>> typesByKey = new HashMap<>();
    for (Credential credential : CREDENTIALS) {
      specs.add(credential.spec());
      typesByKey.put(credential.configKey(), credential.kmsTypes());
    }
    return KeySpec.defineAll(def, GROUP, specs, VisibilityRecommender.forKmsTypes(typesByKey));
  }

  /** The set properties, by their Confluent name (without the prefix). */
  public static Map<String, String> credentials(AbstractConfig config) {
    Map<String, String> credentials = new HashMap<>();
    for (Credential key : CREDENTIALS) {
      String value =
          key.type() == Type.PASSWORD
              ? passwordValue(config.getPassword(key.configKey()))
              : config.getString(key.configKey());
      if (value != null && !value.isEmpty()) {
        credentials.put(key.property(), value);
      }
    }
    return credentials;
  }

  /**
   * Words in a property name that make it a credential even when this table does not list it (a
   * provider property of a newer client, a typo of a listed one).
   */
  private static final List<String> SECRET_WORDS =
      List.of("secret", "password", "passwd", "token", "private.key", "access.key", "credential");

  /**
   * True when {@code property} (a provider property such as {@code secret.access.key}, with or
   * without the {@code kms.} prefix) is a credential: one of this table's {@code PASSWORD} keys, or
   * a name holding one of {@link #SECRET_WORDS}. Such values belong in the client's configuration
   * (masked by Connect, read through config providers), never in a KEK's {@code kmsProps}, which
   * every client of the DEK store can read. A path to a credentials file is not a credential.
   */
  public static boolean isSecret(String property) {
    String name = property.trim().toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
    if (name.startsWith(PREFIX)) {
      name = name.substring(PREFIX.length());
    }
    for (Credential credential : CREDENTIALS) {
      if (credential.property().equals(name)) {
        return credential.type() == Type.PASSWORD;
      }
    }
    for (String word : SECRET_WORDS) {
      if (name.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static String passwordValue(Password password) {
    return password == null ? null : password.value();
  }
}
