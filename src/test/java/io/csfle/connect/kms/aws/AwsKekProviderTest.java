package io.csfle.connect.kms.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AwsKekProviderTest {
  private static final String KEY_ARN =
      "arn:aws:kms:eu-west-3:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String OTHER_KEY_ARN =
      "arn:aws:kms:eu-west-3:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ACCESS_KEY_ID = "AKIAFAKEFAKEFAKE0001";
  private static final String SECRET = "s3cr3t/FAKE+secretAccessKey0123456789abcd";
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "11".repeat(32));

  /** Made by {@link InMemoryAwsKmsServer#seal} with key bytes 00..1f and IV 00..0b. */
  private static final String GOLDEN_BLOB =
      "004b61726e3a6177733a6b6d733a65752d776573742d333a3131313132323232333333333a6b65792f3132"
          + "3334616263642d313261622d333463642d353665662d313233343536373839306162000102030405"
          + "060708090a0b5d22c70ad4f4d30a9c50869aa0f8697c92c79625e16a4e6d2976f4940c7811a31001"
          + "54493ef9d79004a15aa3719fec9d59f2";

  private final AwsKekProvider provider = new AwsKekProvider();
  private InMemoryAwsKmsServer kms;

  @BeforeEach
  void startKms() throws Exception {
    kms = new InMemoryAwsKmsServer();
    kms.allowAccessKeyId(ACCESS_KEY_ID);
    kms.addKey(KEY_ARN);
    kms.addKey(OTHER_KEY_ARN);
  }

  @AfterEach
  void stopKms() {
    kms.close();
  }

  private Map<String, String> properties() {
    Map<String, String> properties = new HashMap<>();
    properties.put(AwsKekProvider.ACCESS_KEY_ID, ACCESS_KEY_ID);
    properties.put(AwsKekProvider.SECRET_ACCESS_KEY, SECRET);
    properties.put(AwsKekProvider.ENDPOINT, kms.endpoint().toString());
    return properties;
  }

  private Kek kek(String arn) {
    return provider.create(arn, properties());
  }

  @Test
  void wrapThenUnwrap_returnsKeyMaterial() throws Exception {
    Kek kek = kek(KEY_ARN);

    byte[] wrapped = kek.wrap(DEK);

    assertThat(wrapped).isNotEqualTo(DEK);
    assertThat(kek.unwrap(wrapped)).isEqualTo(DEK);
    kek.close();
  }

  @Test
  void goldenBlob_unwraps() throws Exception {
    String arn = KEY_ARN;
    byte[] keyBytes = new byte[32];
    for (int i = 0; i < keyBytes.length; i++) {
      keyBytes[i] = (byte) i;
    }
    kms.addKey(arn, keyBytes);
    byte[] iv = HexFormat.of().parseHex("000102030405060708090a0b");
    assertThat(HexFormat.of().formatHex(InMemoryAwsKmsServer.seal(arn, keyBytes, iv, DEK)))
        .isEqualTo(GOLDEN_BLOB);

    assertThat(kek(arn).unwrap(HexFormat.of().parseHex(GOLDEN_BLOB))).isEqualTo(DEK);
  }

  @Test
  void aliasArn_isAccepted() {
    String alias = "arn:aws:kms:us-east-1:111122223333:alias/csfle";
    kms.addKey(alias);

    assertThat(kek(alias).unwrap(kek(alias).wrap(DEK))).isEqualTo(DEK);
    assertThat(kms.lastRegion()).isEqualTo("us-east-1");
  }

  @Test
  void region_isTakenFromTheArn() {
    kek(KEY_ARN).wrap(DEK);

    assertThat(kms.lastRegion()).isEqualTo("eu-west-3");
    assertThat(kms.lastService()).isEqualTo("kms");
  }

  @Test
  void unknownKey_isKeyUnusable() {
    String unknown = "arn:aws:kms:eu-west-3:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab";

    assertThatThrownBy(() -> kek(unknown).wrap(DEK))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNUSABLE))
        .satisfies(e -> assertThat(e.getMessage()).contains(unknown, "does not exist"));
  }

  @Test
  void disabledKey_isKeyUnusable() {
    Kek kek = kek(KEY_ARN);
    byte[] wrapped = kek.wrap(DEK);
    kms.disable(KEY_ARN);

    assertThatThrownBy(() -> kek.unwrap(wrapped))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNUSABLE))
        .satisfies(e -> assertThat(e.getMessage()).contains(KEY_ARN, "disabled"))
        .satisfies(e -> assertThat(e.isRetriable()).isFalse());
  }

  @Test
  void unknownAccessKey_isAccessDeniedNamingKeyAndIam() {
    Map<String, String> properties = properties();
    properties.put(AwsKekProvider.ACCESS_KEY_ID, "AKIAFAKEFAKEFAKE9999");

    assertThatThrownBy(() -> provider.create(KEY_ARN, properties).wrap(DEK))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED))
        .satisfies(e -> assertThat(e.getMessage()).contains(KEY_ARN, "IAM", "credentials"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }

  @Test
  void throttling_isUnavailableWithoutSdkRetries() {
    Kek kek = kek(KEY_ARN);
    kms.throttleNext(1);

    assertThatThrownBy(() -> kek.wrap(DEK))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .satisfies(e -> assertThat(e.isRetriable()).isTrue());
    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void serverError_isUnavailable() {
    Kek kek = kek(KEY_ARN);
    kms.failWith(500, "KMSInternalException");

    assertThatThrownBy(() -> kek.wrap(DEK))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
  }

  @Test
  void serviceUnavailable503_isUnavailable() {
    Kek kek = kek(KEY_ARN);
    kms.failWith(503, "ServiceUnavailableException");

    assertThatThrownBy(() -> kek.wrap(DEK))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
  }

  @Test
  void invalidState_isKeyUnusable() {
    Kek kek = kek(KEY_ARN);
    kms.failWith(400, "KMSInvalidStateException");

    assertThatThrownBy(() -> kek.wrap(DEK))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.KEY_UNUSABLE))
        .satisfies(e -> assertThat(e.getMessage()).contains("disabled or pending deletion"));
  }

  @Test
  void kmsUnreachable_isUnavailable() {
    Map<String, String> properties = properties();
    kms.close();

    assertThatThrownBy(() -> provider.create(KEY_ARN, properties).wrap(DEK))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
  }

  @Test
  void blobOfAnotherKey_isInvalidCiphertext() {
    byte[] wrappedByOther = kek(OTHER_KEY_ARN).wrap(DEK);

    assertThatThrownBy(() -> kek(KEY_ARN).unwrap(wrappedByOther))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_CIPHERTEXT));
  }

  @Test
  void alteredBlob_isInvalidCiphertext() {
    Kek kek = kek(KEY_ARN);
    byte[] wrapped = kek.wrap(DEK);
    wrapped[wrapped.length - 1] ^= 1;

    assertThatThrownBy(() -> kek.unwrap(wrapped))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_CIPHERTEXT));
  }

  @Test
  void nonArnKeyId_isMisconfiguredNamingTheExpectedForm() {
    assertThatThrownBy(() -> kek("1234abcd-12ab-34cd-56ef-1234567890ab"))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED))
        .satisfies(e -> assertThat(e.getMessage()).contains("arn:aws:kms:REGION:ACCOUNT:key/ID"));
  }

  @Test
  void accessKeyWithoutSecret_isMisconfigured() {
    Map<String, String> properties = properties();
    properties.remove(AwsKekProvider.SECRET_ACCESS_KEY);

    assertThatThrownBy(() -> provider.create(KEY_ARN, properties))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void badEndpoint_isMisconfigured() {
    Map<String, String> properties = properties();
    properties.put(AwsKekProvider.ENDPOINT, "not a url");

    assertThatThrownBy(() -> provider.create(KEY_ARN, properties))
        .asInstanceOf(type(KmsException.class))
        .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void foreignContextClassLoader_stillWorksAndIsRestored() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    try (URLClassLoader foreign = new URLClassLoader(new URL[0], null)) {
      thread.setContextClassLoader(foreign);
      Kek kek = kek(KEY_ARN);
      byte[] wrapped = kek.wrap(DEK);

      assertThat(kek.unwrap(wrapped)).isEqualTo(DEK);
      assertThat(thread.getContextClassLoader()).isSameAs(foreign);
      kek.close();
    } finally {
      thread.setContextClassLoader(original);
    }
  }

  @Test
  void errorMessages_neverContainTheSecret() {
    Kek kek = kek(KEY_ARN);
    kms.disable(KEY_ARN);

    assertThatThrownBy(() -> kek.wrap(DEK))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET))
        .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain(SECRET));
  }

  @Test
  void providerTable_buildsAwsKek() {
    KekProviders table = KekProviders.of(provider);

    assertThat(table.supports("aws-kms")).isTrue();
    assertThat(table.create("aws-kms", KEY_ARN, properties()).unwrap(kek(KEY_ARN).wrap(DEK)))
        .isEqualTo(DEK);
  }
}
