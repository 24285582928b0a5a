package io.csfle.connect.kms.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** gcp-kms against an in-process Cloud KMS over gRPC, through the real Cloud KMS client. */
class GcpKekProviderTest {
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "5a".repeat(32));
  private static final String ORDERS =
      "projects/p1/locations/europe-west1/keyRings/ring/cryptoKeys/orders";
  private static final String PAYMENTS =
      "projects/p1/locations/europe-west1/keyRings/ring/cryptoKeys/payments";

  private InMemoryCloudKmsServer kms;

  @BeforeEach
  void start() throws Exception {
    kms = new InMemoryCloudKmsServer();
    kms.allowPrincipal(GcpTesting.EMAIL);
    kms.addKey(ORDERS);
    kms.addKey(PAYMENTS);
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  private Map<String, String> properties() {
    return GcpTesting.properties(kms, GcpTesting.EMAIL);
  }

  private static Reason reasonOf(Throwable e) {
    return ((KmsException) e).reason();
  }

  private static String fullText(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void wrap_isTheRawEncryptCiphertextOfTheNamedKey() {
    Kek kek = GcpTesting.provider().create(ORDERS, properties());

    byte[] wrapped = kek.wrap(DEK);

    assertThat(wrapped).hasSize(12 + DEK.length + 16);
    assertThat(kek.unwrap(wrapped)).isEqualTo(DEK);
    assertThat(kms.calls()).containsExactly("Encrypt " + ORDERS, "Decrypt " + ORDERS);
  }

  @Test
  void close_shutsTheGrpcChannelDown() {
    Kek kek = GcpTesting.provider().create(ORDERS, properties());
    kek.wrap(DEK);

    kek.close();

    assertThat(((GcpKek) kek).isClosed()).isTrue();
  }

  @Test
  void ciphertextOfAnotherKey_isInvalidCiphertext() {
    byte[] foreign = GcpTesting.provider().create(PAYMENTS, properties()).wrap(DEK);
    Kek orders = GcpTesting.provider().create(ORDERS, properties());

    assertThatThrownBy(() -> orders.unwrap(foreign))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(ORDERS)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.INVALID_CIPHERTEXT));
  }

  @Test
  void foreignContextClassLoader_stillWorksAndIsRestored() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader original = thread.getContextClassLoader();
    try (URLClassLoader foreign = new URLClassLoader(new URL[0], null)) {
      thread.setContextClassLoader(foreign);
      Kek kek = GcpTesting.provider().create(ORDERS, properties());
      assertThat(thread.getContextClassLoader()).isSameAs(foreign);
      byte[] wrapped = kek.wrap(DEK);
      assertThat(kek.unwrap(wrapped)).isEqualTo(DEK);
      assertThat(thread.getContextClassLoader()).isSameAs(foreign);
    } finally {
      thread.setContextClassLoader(original);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "orders",
        "projects/p1/locations/global/keyRings/ring",
        "projects/p1/locations/global/keyRings/ring/cryptoKeys/k/cryptoKeyVersions/1",
        "gcp-kms://projects/p1/locations/global/keyRings/ring/cryptoKeys/k",
        "arn:aws:kms:eu-west-1:111122223333:key/x"
      })
  void badKeyId_isMisconfiguredAndShowsTheExpectedForm(String keyId) {
    assertThatThrownBy(() -> new GcpKekProvider().create(keyId, properties()))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(GcpKeyName.EXPECTED_FORM)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void badEndpoint_isMisconfigured() {
    Map<String, String> props = properties();
    props.put(GcpKekProvider.ENDPOINT, "https://kms.example/");
    assertThatThrownBy(() -> new GcpKekProvider().create(ORDERS, props))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("host:port")
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void otherAccountType_isMisconfigured() {
    Map<String, String> props = properties();
    props.put(GcpKekProvider.ACCOUNT_TYPE, "authorized_user");
    assertThatThrownBy(() -> new GcpKekProvider().create(ORDERS, props))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(GcpKekProvider.ACCOUNT_TYPE)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void emailWithoutPrivateKey_isMisconfigured() {
    Map<String, String> props = properties();
    props.remove(GcpKekProvider.PRIVATE_KEY);
    assertThatThrownBy(() -> new GcpKekProvider().create(ORDERS, props))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(GcpKekProvider.PRIVATE_KEY)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void unparsablePrivateKey_isMisconfiguredAndNeverShowsTheKey() {
    String secret =
        "-----BEGIN PRIVATE KEY-----\nTm90QVJlYWxLZXlCdXRTZWNyZXQ=\n-----END PRIVATE KEY-----";
    Map<String, String> props = properties();
    props.put(GcpKekProvider.PRIVATE_KEY, secret);
    assertThatThrownBy(() -> new GcpKekProvider().create(ORDERS, props))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED))
        .satisfies(e -> assertThat(fullText(e)).doesNotContain("Tm90QVJlYWxLZXlCdXRTZWNyZXQ"));
  }

  @Test
  void deniedCaller_messageNamesKeyAndPermissionButNeverThePrivateKey() {
    Kek kek =
        GcpTesting.provider()
            .create(ORDERS, GcpTesting.properties(kms, "other@p1.iam.gserviceaccount.com"));
    String keyBody = GcpTesting.PRIVATE_KEY.split("\n")[1];

    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(ORDERS)
        .hasMessageContaining("cloudkms.cryptoKeyVersions.useToEncrypt")
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.ACCESS_DENIED))
        .satisfies(e -> assertThat(fullText(e)).doesNotContain(keyBody));
  }

  @Test
  void credentialsFile_isReadAndAnUnreadableOneIsMisconfiguredWithoutItsContent(@TempDir Path dir)
      throws Exception {
    Path good = dir.resolve("sa.json");
    Files.writeString(
        good,
        "{\"type\":\"service_account\",\"project_id\":\"p1\",\"private_key_id\":\"abc\","
            + "\"private_key\":\""
            + GcpTesting.PRIVATE_KEY.replace("\n", "\\n")
            + "\",\"client_email\":\""
            + GcpTesting.EMAIL
            + "\",\"client_id\":\"1\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}",
        StandardCharsets.UTF_8);
    Map<String, String> props = properties();
    props.remove(GcpKekProvider.PRIVATE_KEY);
    props.remove(GcpKekProvider.CLIENT_EMAIL);
    props.put(GcpKekProvider.CREDENTIALS_PATH, good.toString());
    try (GcpKek kek = (GcpKek) new GcpKekProvider().create(ORDERS, props)) {
      assertThat(kek).hasToString("GcpKek[" + ORDERS + "]");
    }

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"type\":\"service_account\",\"private_key\":\"TOPSECRETVALUE\"}");
    props.put(GcpKekProvider.CREDENTIALS_PATH, bad.toString());
    assertThatThrownBy(() -> new GcpKekProvider().create(ORDERS, props))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(bad.toString())
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.MISCONFIGURED))
        .satisfies(e -> assertThat(fullText(e)).doesNotContain("TOPSECRETVALUE"));
  }

  @Test
  void realServiceAccountClient_reachesTheEndpointOverride_andAnUnreachableOneIsUnavailable() {
    // No test hook: the production TLS channel and self-signed-JWT credentials. The fake speaks
    // plaintext only, so the TLS handshake fails: a retriable outage, not a configuration error.
    Kek kek = new GcpKekProvider().create(ORDERS, properties());
    assertThatThrownBy(() -> kek.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(ORDERS)
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.UNAVAILABLE))
        .satisfies(
            e -> assertThat(fullText(e)).doesNotContain(GcpTesting.PRIVATE_KEY.split("\n")[1]));
  }

  /**
   * Golden encryptedKeyMaterial: Cloud KMS's raw ciphertext, passed through untouched (no framing
   * of ours). Made with plain JCE from the fake's layout (IV 00..0b, key 00..1f, key name as AAD).
   */
  @Test
  void goldenCiphertext_unwrapsToTheDek() throws Exception {
    String name = "projects/p1/locations/global/keyRings/ring/cryptoKeys/golden";
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) i;
    }
    kms.addKey(name, key);
    byte[] golden =
        HexFormat.of()
            .parseHex(
                "000102030405060708090a0b5d22c70ad4f4d30a9c50869aa0f8697c92c79625e16a4e6d2976f4"
                    + "940c7811a31001e63272d09e9927c5b2f3eee5e8211195");

    assertThat(
            GcpTesting.provider()
                .create(name, GcpTesting.properties(kms, GcpTesting.EMAIL))
                .unwrap(golden))
        .isEqualTo(HexFormat.of().parseHex("1a20" + "11".repeat(32)));
  }
}
