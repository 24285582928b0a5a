package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.decryptValue;
import static io.csfle.connect.transforms.TransformFixtures.encryptValue;
import static io.csfle.connect.transforms.TransformFixtures.sourceRecord;
import static io.csfle.connect.transforms.TransformFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.kms.aws.InMemoryAwsKmsServer;
import io.csfle.connect.kms.aws.InMemoryAwsKmsServer.Call;
import io.csfle.connect.kms.aws.InMemoryAwsStsServer;
import io.csfle.connect.kms.vault.InMemoryVaultServer;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.RecordedRequest;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * KEKs registered by another client with settings in their {@code kmsProps} (alternate key ids,
 * provider settings), used by the transforms through the REST DEK registry and the real AWS SDK and
 * Vault client against their wire fakes: what is registered is read, the connector's own config
 * wins, and the KEKs this plugin registers carry no secret.
 */
class RegisteredKmsPropsTest {
  private static final String FIELDS = "email,ssn";
  private static final String ACCESS_KEY_ID = "AKIAKMSPROPS00000001";
  private static final String SECRET_ACCESS_KEY = "kmsprops-secret-access-key-0123456789";
  private static final String VAULT_TOKEN = "hvs.kmsprops-token-0123456789";
  private static final String ACCOUNT = "arn:aws:kms:us-east-1:111122223333:key/";
  private static final String GONE = ACCOUNT + "00000000-0000-0000-0000-00000000dead";
  private static final String ALTERNATE = ACCOUNT + "00000000-0000-0000-0000-0000000000a1";
  private static final String OTHER_ALTERNATE = ACCOUNT + "00000000-0000-0000-0000-0000000000a2";
  private static final String MRK_ID = "mrk-0123456789abcdef0123456789abcdef";
  private static final String MRK_EAST = ACCOUNT + MRK_ID;
  private static final String ALTERNATES = "encrypt.alternate.kms.key.ids";

  private InMemoryDekRegistryServer registry;
  private InMemoryAwsKmsServer aws;
  private InMemoryVaultServer vault;
  private final List<AutoCloseable> transforms = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
    aws = new InMemoryAwsKmsServer();
    aws.allowAccessKeyId(ACCESS_KEY_ID);
    aws.addKey(ALTERNATE);
    aws.addKey(OTHER_ALTERNATE);
    aws.addMultiRegionKey(MRK_EAST, "us-west-2", "eu-west-1");
    vault = new InMemoryVaultServer().withToken(VAULT_TOKEN).withKey("transit", "pii");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable transform : transforms) {
      transform.close();
    }
    registry.close();
    aws.close();
    vault.close();
  }

  /** As another client registers a KEK: straight to the registry, with kmsProps. */
  private void register(String name, String kmsType, String kmsKeyId, Map<String, String> props) {
    try (RestDekStore store = new RestDekStore(RegistryClientConfig.of(registry.url()))) {
      store.createKek(new NewKek(name, kmsType, kmsKeyId, props, null, false));
    }
  }

  /** A connector config naming only the KEK and the credentials: no key id, no alternates. */
  private Map<String, String> awsConfig(String kekName, String... extra) {
    Map<String, String> config = baseConfig(kekName);
    config.put("kms.access.key.id", ACCESS_KEY_ID);
    config.put("kms.secret.access.key", SECRET_ACCESS_KEY);
    config.put("kms.endpoint", aws.endpoint().toString());
    for (int i = 0; i < extra.length; i += 2) {
      config.put(extra[i], extra[i + 1]);
    }
    return config;
  }

  private Map<String, String> vaultConfig(String kekName, String... extra) {
    Map<String, String> config = baseConfig(kekName);
    config.put("kms.token.id", VAULT_TOKEN);
    for (int i = 0; i < extra.length; i += 2) {
      config.put(extra[i], extra[i + 1]);
    }
    return config;
  }

  private Map<String, String> baseConfig(String kekName) {
    Map<String, String> config = new HashMap<>();
    config.put("fields", FIELDS);
    config.put("schema.registry.url", registry.url());
    config.put("encrypt.kek.name", kekName);
    config.put("max.retries", "0");
    return config;
  }

  /** Encrypts with one transform and decrypts with another, as a writer and a reader would. */
  private void roundTrip(Map<String, String> writer, Map<String, String> reader) {
    Struct original = value(1, "alice@example.com", "123-45-6789");
    EncryptField<SourceRecord> encrypt = encryptValue(writer);
    transforms.add(encrypt);
    SourceRecord encrypted = encrypt.apply(sourceRecord(TransformFixtures.VALUE, original));
    assertThat(((Struct) encrypted.value()).getString("email")).isNotEqualTo("alice@example.com");
    DecryptField<SinkRecord> decrypt = decryptValue(reader);
    transforms.add(decrypt);
    assertThat(decrypt.apply(asSinkRecord(encrypted)).value()).isEqualTo(original);
  }

  private List<String> awsKeyIdsCalled() {
    return aws.calls().stream().map(Call::keyId).distinct().toList();
  }

  @Test
  void awsAlternatesRegisteredInKmsProps_areUsedWithoutConnectorConfig() {
    register("aws_alt", "aws-kms", GONE, Map.of(ALTERNATES, " " + ALTERNATE + " ,"));

    roundTrip(awsConfig("aws_alt"), awsConfig("aws_alt"));

    assertThat(awsKeyIdsCalled()).containsExactly(GONE, ALTERNATE);
  }

  @Test
  void awsAlternatesInConnectorConfig_winOverRegisteredOnes() {
    register("aws_alt", "aws-kms", GONE, Map.of(ALTERNATES, ALTERNATE));
    Map<String, String> config = awsConfig("aws_alt", ALTERNATES, OTHER_ALTERNATE);

    roundTrip(config, config);

    assertThat(awsKeyIdsCalled()).containsExactly(GONE, OTHER_ALTERNATE);
  }

  @Test
  void awsRegisteredRegion_isWhereAMultiRegionKeyIsUsed() {
    register("aws_mrk", "aws-kms", MRK_EAST, Map.of("region", "us-west-2"));

    roundTrip(awsConfig("aws_mrk"), awsConfig("aws_mrk"));

    assertThat(aws.calls()).extracting(Call::region).containsOnly("us-west-2");
    assertThat(awsKeyIdsCalled()).containsExactly(MRK_EAST.replace("us-east-1", "us-west-2"));
  }

  @Test
  void awsConnectorRegion_winsOverTheRegisteredOne() {
    register("aws_mrk", "aws-kms", MRK_EAST, Map.of("region", "us-west-2"));
    Map<String, String> config = awsConfig("aws_mrk", "kms.region", "eu-west-1");

    roundTrip(config, config);

    assertThat(aws.calls()).extracting(Call::region).containsOnly("eu-west-1");
    assertThat(awsKeyIdsCalled()).containsExactly(MRK_EAST.replace("us-east-1", "eu-west-1"));
  }

  @Test
  void awsDynamicMrkDisabledInKmsProps_keepsTheKeyInItsOwnRegion() {
    register(
        "aws_mrk",
        "aws-kms",
        MRK_EAST,
        Map.of("region", "us-west-2", "aws.disable.dynamic.mrk", "true"));
    Map<String, String> config = awsConfig("aws_mrk", "kms.region", "eu-west-1");

    roundTrip(config, config);

    assertThat(aws.calls()).extracting(Call::region).containsOnly("us-east-1");
    assertThat(awsKeyIdsCalled()).containsExactly(MRK_EAST);
  }

  @Test
  void awsDynamicMrkDisabledInConnectorConfig_keepsTheKeyInItsOwnRegion() {
    register("aws_mrk", "aws-kms", MRK_EAST, Map.of());
    Map<String, String> config =
        awsConfig("aws_mrk", "kms.region", "us-west-2", "kms.aws.disable.dynamic.mrk", "true");

    roundTrip(config, config);

    assertThat(aws.calls()).extracting(Call::region).containsOnly("us-east-1");
    assertThat(awsKeyIdsCalled()).containsExactly(MRK_EAST);
  }

  @Test
  void awsDynamicMrkEnabledInConnectorConfig_winsOverKmsProps() {
    register("aws_mrk", "aws-kms", MRK_EAST, Map.of("aws.disable.dynamic.mrk", "true"));
    Map<String, String> config =
        awsConfig("aws_mrk", "kms.region", "us-west-2", "kms.aws.disable.dynamic.mrk", "false");

    roundTrip(config, config);

    assertThat(aws.calls()).extracting(Call::region).containsOnly("us-west-2");
  }

  @Test
  void awsRoleRegisteredInKmsProps_isAssumedWithTheConnectorsCredentials() throws Exception {
    String role = "arn:aws:iam::111122223333:role/registered-role";
    try (InMemoryAwsStsServer sts = new InMemoryAwsStsServer(ACCESS_KEY_ID)) {
      // Only the role's credentials may use the key: a call signed with the base keys fails.
      aws.allowAccessKeyId(InMemoryAwsStsServer.ASSUMED_ACCESS_KEY_ID);
      aws.disallowAccessKeyId(ACCESS_KEY_ID);
      register(
          "aws_role",
          "aws-kms",
          MRK_EAST,
          Map.of(
              "role.arn", role, "role.session.name", "registered-session", "region", "us-west-2"));
      Map<String, String> config =
          awsConfig("aws_role", "kms.sts.endpoint", sts.endpoint().toString());

      roundTrip(config, config);

      assertThat(sts.lastRequest())
          .containsEntry("RoleArn", role)
          .containsEntry("RoleSessionName", "registered-session");
      assertThat(aws.calls()).extracting(Call::region).containsOnly("us-west-2");
    }
  }

  @Test
  void vaultNamespaceAndAlternatesRegisteredInKmsProps_areUsedWithoutConnectorConfig() {
    vault.requireNamespace("team-a");
    String missing = vault.keyUrl("transit", "retired");
    register(
        "vault_kek",
        "hcvault",
        missing,
        Map.of("namespace", "team-a", ALTERNATES, vault.keyUrl("transit", "pii")));

    roundTrip(vaultConfig("vault_kek"), vaultConfig("vault_kek"));

    assertThat(vault.namespacesSeen()).isNotEmpty().containsOnly("team-a");
  }

  @Test
  void vaultNamespaceInConnectorConfig_winsOverTheRegisteredOne() {
    vault.requireNamespace("team-b");
    register("vault_kek", "hcvault", vault.keyUrl("transit", "pii"), Map.of("namespace", "team-a"));
    Map<String, String> config = vaultConfig("vault_kek", "kms.namespace", "team-b");

    roundTrip(config, config);

    assertThat(vault.namespacesSeen()).isNotEmpty().containsOnly("team-b");
  }

  @Test
  void keksThisPluginRegisters_carryNoSecret() throws Exception {
    Map<String, String> awsWriter =
        awsConfig(
            "created_aws",
            "encrypt.kms.type",
            "aws-kms",
            "encrypt.kms.key.id",
            ALTERNATE,
            ALTERNATES,
            OTHER_ALTERNATE);
    Map<String, String> vaultWriter =
        vaultConfig(
            "created_vault",
            "encrypt.kms.type",
            "hcvault",
            "encrypt.kms.key.id",
            vault.keyUrl("transit", "pii"),
            "kms.approle.secret.id",
            "kmsprops-approle-secret");

    roundTrip(awsWriter, awsWriter);
    roundTrip(vaultWriter, vaultWriter);

    List<RecordedRequest> creates =
        registry.requests().stream()
            .filter(r -> r.method().equals("POST") && r.path().equals("/dek-registry/v1/keks"))
            .toList();
    assertThat(creates).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    for (RecordedRequest create : creates) {
      JsonNode body = json.readTree(create.body());
      assertThat(body.path("kmsProps").size()).as(create.body()).isZero();
      assertThat(create.body())
          .doesNotContain(SECRET_ACCESS_KEY, ACCESS_KEY_ID, VAULT_TOKEN, "kmsprops-approle-secret");
    }
  }
}
