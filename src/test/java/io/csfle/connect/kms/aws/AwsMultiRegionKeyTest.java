package io.csfle.connect.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.kms.aws.InMemoryAwsKmsServer.Call;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Multi-region keys through the real AWS SDK: which region each request is signed for (the SigV4
 * credential scope) and which KeyId it names.
 */
class AwsMultiRegionKeyTest {
  private static final String MRK_ID = "mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String MRK_EAST = "arn:aws:kms:us-east-1:111122223333:key/" + MRK_ID;
  private static final String MRK_WEST = "arn:aws:kms:us-west-2:111122223333:key/" + MRK_ID;
  private static final String OTHER_MRK_ID = "mrk-00000000000000000000000000000abc";
  private static final String OTHER_MRK_EAST =
      "arn:aws:kms:us-east-1:111122223333:key/" + OTHER_MRK_ID;
  private static final String OTHER_MRK_WEST =
      "arn:aws:kms:us-west-2:111122223333:key/" + OTHER_MRK_ID;
  private static final String SINGLE_REGION_EAST =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ALIAS_EAST = "arn:aws:kms:us-east-1:111122223333:alias/" + MRK_ID;
  private static final String ACCESS_KEY_ID = "AKIAFAKEFAKEFAKE0002";
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "22".repeat(32));

  private final AtomicInteger chainLookups = new AtomicInteger();
  private volatile String chainRegion;
  private final AwsKekProvider provider =
      new AwsKekProvider(
          profile -> {
            chainLookups.incrementAndGet();
            return chainRegion;
          });
  private InMemoryAwsKmsServer kms;

  @BeforeEach
  void startKms() throws Exception {
    kms = new InMemoryAwsKmsServer();
    kms.allowAccessKeyId(ACCESS_KEY_ID);
    kms.addMultiRegionKey(MRK_EAST, "us-west-2");
    kms.addMultiRegionKey(OTHER_MRK_EAST, "us-west-2");
    kms.addKey(SINGLE_REGION_EAST);
    kms.addKey(ALIAS_EAST);
  }

  @AfterEach
  void stopKms() {
    kms.close();
  }

  private Map<String, String> properties(String... extra) {
    Map<String, String> properties = new HashMap<>();
    properties.put(AwsKekProvider.ACCESS_KEY_ID, ACCESS_KEY_ID);
    properties.put(AwsKekProvider.SECRET_ACCESS_KEY, "fake-secret-access-key-0123456789");
    properties.put(AwsKekProvider.ENDPOINT, kms.endpoint().toString());
    for (int i = 0; i < extra.length; i += 2) {
      properties.put(extra[i], extra[i + 1]);
    }
    return properties;
  }

  private byte[] wrapInItsOwnRegion(String arn) {
    try (Kek home = provider.create(arn, properties(AwsKekProvider.DISABLE_DYNAMIC_MRK, "true"))) {
      return home.wrap(DEK);
    }
  }

  @Test
  void mrkWithRegionSetting_isUsedInThatRegionAndUnwrapsTheHomeRegionsDek() {
    byte[] wrappedInEast = wrapInItsOwnRegion(MRK_EAST);
    int before = kms.calls().size();

    Kek west = provider.create(MRK_EAST, properties(AwsKekProvider.REGION, "us-west-2"));

    assertThat(west.unwrap(wrappedInEast)).isEqualTo(DEK);
    byte[] wrappedInWest = west.wrap(DEK);
    assertThat(kms.calls().subList(before, kms.calls().size()))
        .containsExactly(
            new Call("Decrypt", "us-west-2", MRK_WEST), new Call("Encrypt", "us-west-2", MRK_WEST));
    assertThat(chainLookups).hasValue(0);
    try (Kek east =
        provider.create(MRK_EAST, properties(AwsKekProvider.DISABLE_DYNAMIC_MRK, "true"))) {
      assertThat(east.unwrap(wrappedInWest)).isEqualTo(DEK);
    }
  }

  @Test
  void mrkWithoutRegionSetting_usesTheSdkDefaultRegion() {
    chainRegion = "us-west-2";

    provider.create(MRK_EAST, properties()).wrap(DEK);

    assertThat(kms.calls()).containsExactly(new Call("Encrypt", "us-west-2", MRK_WEST));
    assertThat(chainLookups).hasValue(1);
  }

  @Test
  void mrkWithoutAnyRegion_isUsedInItsOwnRegion() {
    chainRegion = null;

    provider.create(MRK_EAST, properties()).wrap(DEK);

    assertThat(kms.calls()).containsExactly(new Call("Encrypt", "us-east-1", MRK_EAST));
  }

  @Test
  void mrkWithTheRealSdkRegionChain_usesTheAwsRegionSystemProperty() {
    String previous = System.getProperty("aws.region");
    System.setProperty("aws.region", "us-west-2");
    try {
      new AwsKekProvider().create(MRK_EAST, properties()).wrap(DEK);
    } finally {
      if (previous == null) {
        System.clearProperty("aws.region");
      } else {
        System.setProperty("aws.region", previous);
      }
    }

    assertThat(kms.calls()).containsExactly(new Call("Encrypt", "us-west-2", MRK_WEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "TRUE", " true "})
  void mrkWithDynamicMrkDisabled_isUsedInItsOwnRegion(String flag) {
    chainRegion = "us-west-2";

    provider
        .create(
            MRK_EAST,
            properties(
                AwsKekProvider.REGION, "us-west-2", AwsKekProvider.DISABLE_DYNAMIC_MRK, flag))
        .wrap(DEK);

    assertThat(kms.calls()).containsExactly(new Call("Encrypt", "us-east-1", MRK_EAST));
  }

  @Test
  void mrkWithDynamicMrkExplicitlyEnabled_isRewritten() {
    provider
        .create(
            MRK_EAST,
            properties(
                AwsKekProvider.REGION, "us-west-2", AwsKekProvider.DISABLE_DYNAMIC_MRK, "false"))
        .wrap(DEK);

    assertThat(kms.calls()).containsExactly(new Call("Encrypt", "us-west-2", MRK_WEST));
  }

  @Test
  void singleRegionKey_isNeverRewritten() {
    chainRegion = "us-west-2";

    provider.create(SINGLE_REGION_EAST, properties(AwsKekProvider.REGION, "us-west-2")).wrap(DEK);
    provider.create(SINGLE_REGION_EAST, properties()).wrap(DEK);

    assertThat(kms.calls())
        .containsExactly(
            new Call("Encrypt", "us-east-1", SINGLE_REGION_EAST),
            new Call("Encrypt", "us-east-1", SINGLE_REGION_EAST));
    assertThat(chainLookups).hasValue(0);
  }

  @Test
  void aliasNamedLikeAnMrk_isNeverRewritten() {
    chainRegion = "us-west-2";

    provider.create(ALIAS_EAST, properties(AwsKekProvider.REGION, "us-west-2")).wrap(DEK);

    assertThat(kms.calls()).containsExactly(new Call("Encrypt", "us-east-1", ALIAS_EAST));
  }

  @Test
  void alternateMrk_isRewrittenToo() {
    // Wrapped by the alternate's key: the KEK's own key refuses it, the alternate unwraps it.
    byte[] wrappedInEast = wrapInItsOwnRegion(OTHER_MRK_EAST);
    int before = kms.calls().size();

    Kek kek =
        KekProviders.of(provider)
            .create(
                AwsKekProvider.KMS_TYPE,
                MRK_EAST,
                List.of(OTHER_MRK_EAST),
                properties(AwsKekProvider.REGION, "us-west-2"));

    assertThat(kek.unwrap(wrappedInEast)).isEqualTo(DEK);
    assertThat(kms.calls().subList(before, kms.calls().size()))
        .containsExactly(
            new Call("Decrypt", "us-west-2", MRK_WEST),
            new Call("Decrypt", "us-west-2", OTHER_MRK_WEST));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:kms:us-east-1:111122223333:key/mrk-1234",
        "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890abff",
        "arn:aws:kms:us-east-1:111122223333:key/mrk-1234ABCD12AB34CD56EF1234567890AB",
        "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab/x",
        "arn:aws:kms:us-east-1.evil.example:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws:kms:evil.example/x:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws:kms::111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws:kms:us-east-1:11112222333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab\nHost: x",
        "arn:aws:s3:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:evil:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        "arn:aws:kms:us-east-1:111122223333:key/not-a-key-id",
        "arn:aws:kms:us-east-1:111122223333:alias/a:b",
        "mrk-1234abcd12ab34cd56ef1234567890ab"
      })
  void malformedArn_isRefusedBeforeAnyRequest(String arn) {
    chainRegion = "us-west-2";

    assertThatThrownBy(() -> provider.create(arn, properties(AwsKekProvider.REGION, "us-west-2")))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED))
        .satisfies(e -> assertThat(e.getMessage()).contains("is not a KMS key ARN", "mrk-"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(kms.calls()).isEmpty();
    assertThat(chainLookups).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-west-2.evil.example", "US-WEST-2", "us-west-2/../x", "west", "-1"})
  void garbageRegion_isRefusedBeforeAnyRequest(String region) {
    assertThatThrownBy(() -> provider.create(MRK_EAST, properties(AwsKekProvider.REGION, region)))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED))
        .satisfies(e -> assertThat(e.getMessage()).contains("is not an AWS region", MRK_EAST));
    chainRegion = region;
    assertThatThrownBy(() -> provider.create(MRK_EAST, properties()))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.getMessage()).contains("default region chain"));
    assertThat(kms.calls()).isEmpty();
  }

  @Test
  void unreadableDisableFlag_isMisconfigured() {
    assertThatThrownBy(
            () -> provider.create(MRK_EAST, properties(AwsKekProvider.DISABLE_DYNAMIC_MRK, "yes")))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED))
        .satisfies(
            e -> assertThat(e.getMessage()).contains(AwsKekProvider.DISABLE_DYNAMIC_MRK, "yes"));
  }

  @Test
  void replicaInAnotherPartitionsRegion_keepsPartitionAndAccount() {
    AwsKeyArn gov =
        AwsKeyArn.parse("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/" + MRK_ID)
            .inRegion("us-gov-east-1");

    assertThat(gov.arn()).isEqualTo("arn:aws-us-gov:kms:us-gov-east-1:111122223333:key/" + MRK_ID);
    assertThat(gov.region()).isEqualTo("us-gov-east-1");
  }
}
