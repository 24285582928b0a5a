package io.csfle.connect.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credential sources other than static keys: STS role assumption and named profiles. */
class AwsCredentialsTest {
  private static final String KEY_ARN =
      "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ROLE_ARN = "arn:aws:iam::111122223333:role/csfle";
  private static final String BASE_ACCESS_KEY_ID = "AKIAFAKEBASEUSER0001";
  private static final String BASE_SECRET = "base/FAKE+secretAccessKey0123456789abcdef";
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "22".repeat(32));

  private final AwsKekProvider provider = new AwsKekProvider();
  private InMemoryAwsKmsServer kms;
  private InMemoryAwsStsServer sts;

  @BeforeEach
  void start() throws Exception {
    kms = new InMemoryAwsKmsServer();
    kms.addKey(KEY_ARN);
    sts = new InMemoryAwsStsServer(BASE_ACCESS_KEY_ID);
  }

  @AfterEach
  void stop() {
    kms.close();
    sts.close();
  }

  private Map<String, String> roleProperties() {
    Map<String, String> properties = new HashMap<>();
    properties.put(AwsKekProvider.ACCESS_KEY_ID, BASE_ACCESS_KEY_ID);
    properties.put(AwsKekProvider.SECRET_ACCESS_KEY, BASE_SECRET);
    properties.put(AwsKekProvider.ROLE_ARN, ROLE_ARN);
    properties.put(AwsKekProvider.ROLE_SESSION_NAME, "connect-task-0");
    properties.put(AwsKekProvider.ROLE_EXTERNAL_ID, "ext-42");
    properties.put(AwsKekProvider.ENDPOINT, kms.endpoint().toString());
    properties.put(AwsKekProvider.STS_ENDPOINT, sts.endpoint().toString());
    return properties;
  }

  @Test
  void roleArn_assumesRoleAndSignsKmsCallsWithTheRolesCredentials() throws Exception {
    kms.allowAccessKeyId(InMemoryAwsStsServer.ASSUMED_ACCESS_KEY_ID);
    Kek kek = provider.create(KEY_ARN, roleProperties());

    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
    assertThat(kms.lastAccessKeyId()).isEqualTo(InMemoryAwsStsServer.ASSUMED_ACCESS_KEY_ID);
    assertThat(sts.lastRequest())
        .containsEntry("Action", "AssumeRole")
        .containsEntry("RoleArn", ROLE_ARN)
        .containsEntry("RoleSessionName", "connect-task-0")
        .containsEntry("ExternalId", "ext-42");
    kek.close();
  }

  @Test
  void roleArnWithoutSessionName_usesTheDefaultSessionName() {
    kms.allowAccessKeyId(InMemoryAwsStsServer.ASSUMED_ACCESS_KEY_ID);
    Map<String, String> properties = roleProperties();
    properties.remove(AwsKekProvider.ROLE_SESSION_NAME);

    provider.create(KEY_ARN, properties).wrap(DEK);

    assertThat(sts.lastRequest())
        .containsEntry("RoleSessionName", AwsKekProvider.DEFAULT_ROLE_SESSION_NAME);
  }

  @Test
  void roleAssumptionDenied_isAccessDenied() {
    kms.allowAccessKeyId(InMemoryAwsStsServer.ASSUMED_ACCESS_KEY_ID);
    Map<String, String> properties = roleProperties();
    properties.put(AwsKekProvider.ACCESS_KEY_ID, "AKIAFAKENOTALLOWED01");

    assertThatThrownBy(() -> provider.create(KEY_ARN, properties).wrap(DEK))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED))
        .satisfies(e -> assertThat(e.getMessage()).contains(KEY_ARN).doesNotContain(BASE_SECRET));
  }

  @Test
  void profile_readsCredentialsFromTheSharedCredentialsFile(@TempDir Path dir) throws Exception {
    Path credentials = dir.resolve("credentials");
    Files.writeString(
        credentials,
        "[csfle]\naws_access_key_id = AKIAFAKEPROFILE00001\n"
            + "aws_secret_access_key = profile/FAKE+secret\n");
    String previous = System.getProperty("aws.sharedCredentialsFile");
    System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    try {
      kms.allowAccessKeyId("AKIAFAKEPROFILE00001");
      Map<String, String> properties =
          Map.of(
              AwsKekProvider.PROFILE, "csfle", AwsKekProvider.ENDPOINT, kms.endpoint().toString());

      provider.create(KEY_ARN, properties).wrap(DEK);

      assertThat(kms.lastAccessKeyId()).isEqualTo("AKIAFAKEPROFILE00001");
    } finally {
      if (previous == null) {
        System.clearProperty("aws.sharedCredentialsFile");
      } else {
        System.setProperty("aws.sharedCredentialsFile", previous);
      }
    }
  }

  @Test
  void profileWithoutCredentials_isAccessDeniedNamingTheKey(@TempDir Path dir) throws Exception {
    Path credentials = dir.resolve("credentials");
    Files.writeString(credentials, "[other]\naws_access_key_id = AKIAFAKEOTHER0000001\n");
    String previous = System.getProperty("aws.sharedCredentialsFile");
    System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    try {
      Map<String, String> properties =
          Map.of(
              AwsKekProvider.PROFILE,
              "missing",
              AwsKekProvider.ENDPOINT,
              kms.endpoint().toString());

      assertThatThrownBy(() -> provider.create(KEY_ARN, properties).wrap(DEK))
          .asInstanceOf(type(KmsException.class))
          .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED))
          .satisfies(e -> assertThat(e.getMessage()).contains(KEY_ARN, "credentials"));
    } finally {
      if (previous == null) {
        System.clearProperty("aws.sharedCredentialsFile");
      } else {
        System.setProperty("aws.sharedCredentialsFile", previous);
      }
    }
  }
}
