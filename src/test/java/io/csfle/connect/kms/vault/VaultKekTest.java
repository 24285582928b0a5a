package io.csfle.connect.kms.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultKekTest {
  static final String TOKEN = "hvs.test-root-token-0123456789";
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "11".repeat(32));

  private InMemoryVaultServer vault;
  private Kek kek;

  @BeforeEach
  void start() throws Exception {
    vault = new InMemoryVaultServer().withKey("transit", "orders").withToken(TOKEN);
    kek = kek(vault.keyUrl("transit", "orders"), TOKEN);
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private static Kek kek(String keyUrl, String token) {
    return new VaultKekProvider(name -> null).create(keyUrl, Map.of("token.id", token));
  }

  static Reason reasonOf(ThrowingCallable call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOf(KmsException.class);
    return ((KmsException) thrown).reason();
  }

  @Test
  void wrapThenUnwrap_returnsTheDek() {
    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void wrap_isTheUtf8OfAVaultV1Ciphertext() {
    String wrapped = new String(kek.wrap(DEK), StandardCharsets.UTF_8);

    assertThat(wrapped).startsWith("vault:v1:");
    assertThat(wrapped).doesNotContain(HexFormat.of().formatHex(DEK));
  }

  @Test
  void ciphertextMadeByVault_unwraps() throws Exception {
    String made = vault.encrypt("transit", "orders", DEK);

    assertThat(kek.unwrap(made.getBytes(StandardCharsets.UTF_8))).isEqualTo(DEK);
  }

  @Test
  void goldenEncryptedKeyMaterial_unwrapsToTheFixedDek() throws Exception {
    byte[] fixedKey = new byte[32];
    for (int i = 0; i < fixedKey.length; i++) {
      fixedKey[i] = (byte) i;
    }
    vault.withKey("transit", "golden", fixedKey);
    String golden =
        "vault:v1:AAECAwQFBgcICQoLXSLHCtT00wqcUIaaoPhpfJLHliXhak5tKXb0lAx4EaMQAQ8dwNYRl8X3KNWSscBqLbI=";

    byte[] dek =
        kek(vault.keyUrl("transit", "golden"), TOKEN)
            .unwrap(golden.getBytes(StandardCharsets.UTF_8));

    assertThat(HexFormat.of().formatHex(dek)).isEqualTo("1a20" + "11".repeat(32));
    assertThat(
            InMemoryVaultServer.seal(
                fixedKey, HexFormat.of().parseHex("000102030405060708090a0b"), DEK))
        .isEqualTo(golden);
  }

  @Test
  void tokenWithALineBreak_isMisconfiguredAndNotQuoted() {
    Kek broken = kek(vault.keyUrl("transit", "orders"), "hvs.line1\nhvs.line2");

    assertThatThrownBy(() -> broken.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("token")
        .hasMessageNotContaining("hvs.line")
        .satisfies(e -> assertThat(((KmsException) e).reason()).isEqualTo(Reason.MISCONFIGURED));
  }

  @Test
  void nestedMount_roundTrips() {
    vault.withKey("team-a/transit", "k");
    Kek nested = kek(vault.keyUrl("team-a/transit", "k"), TOKEN);

    assertThat(nested.unwrap(nested.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void wrongToken_isAccessDeniedNamingTheKeyAndWhatToCheck() {
    Kek wrong = kek(vault.keyUrl("transit", "orders"), "hvs.wrong-token-secret");

    assertThatThrownBy(() -> wrong.wrap(DEK))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining(vault.keyUrl("transit", "orders"))
        .hasMessageContaining("token")
        .hasMessageContaining("policy")
        .satisfies(e -> assertThat(((KmsException) e).reason()).isEqualTo(Reason.ACCESS_DENIED))
        .satisfies(e -> assertThat(((KmsException) e).isRetriable()).isFalse());
  }

  @Test
  void unknownKey_isKeyUnusable() {
    Kek unknown = kek(vault.keyUrl("transit", "nope"), TOKEN);

    assertThat(reasonOf(() -> unknown.wrap(DEK))).isEqualTo(Reason.KEY_UNUSABLE);
  }

  @Test
  void unknownMount_404_isKeyUnusable() {
    Kek unknown = kek(vault.keyUrl("no-such-mount", "orders"), TOKEN);

    assertThat(reasonOf(() -> unknown.wrap(DEK))).isEqualTo(Reason.KEY_UNUSABLE);
  }

  @Test
  void disabledKey_isKeyUnusable() {
    byte[] wrapped = kek.wrap(DEK);
    vault.disableKey("transit", "orders");

    assertThat(reasonOf(() -> kek.unwrap(wrapped))).isEqualTo(Reason.KEY_UNUSABLE);
  }

  @Test
  void serviceUnavailable_isRetriableAndNotRetriedByTheProvider() {
    vault.failNext(503, 1);

    assertThat(reasonOf(() -> kek.wrap(DEK))).isEqualTo(Reason.UNAVAILABLE);
    assertThat(vault.transitCalls()).isEqualTo(1);
    assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void throttled_isUnavailable() {
    vault.failNext(429, 1);

    assertThat(reasonOf(() -> kek.wrap(DEK))).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void injected403_isAccessDenied() {
    vault.failNext(403, 1);

    assertThat(reasonOf(() -> kek.wrap(DEK))).isEqualTo(Reason.ACCESS_DENIED);
  }

  @Test
  void injected404_isKeyUnusable() {
    vault.failNext(404, 1);

    assertThat(reasonOf(() -> kek.wrap(DEK))).isEqualTo(Reason.KEY_UNUSABLE);
  }

  @Test
  void notInitialized501_isMisconfiguredNotRetriable() {
    vault.failNext(501, 1);

    assertThat(reasonOf(() -> kek.wrap(DEK))).isEqualTo(Reason.MISCONFIGURED);
  }

  @Test
  void tamperedCiphertext_isInvalidCiphertext() {
    byte[] wrapped = kek.wrap(DEK);
    int last = wrapped.length - 3; // inside the base64 of the tag, before any padding
    wrapped[last] = (byte) (wrapped[last] == 'A' ? 'B' : 'A');

    assertThat(reasonOf(() -> kek.unwrap(wrapped))).isEqualTo(Reason.INVALID_CIPHERTEXT);
  }

  @Test
  void otherKeysCiphertext_isInvalidCiphertext() {
    vault.withKey("transit", "other");
    byte[] wrapped = kek(vault.keyUrl("transit", "other"), TOKEN).wrap(DEK);

    assertThat(reasonOf(() -> kek.unwrap(wrapped))).isEqualTo(Reason.INVALID_CIPHERTEXT);
  }

  @Test
  void bytesWithoutVaultPrefix_areInvalidCiphertextWithoutACall() {
    assertThat(reasonOf(() -> kek.unwrap(new byte[] {1, 2, 3})))
        .isEqualTo(Reason.INVALID_CIPHERTEXT);
    assertThat(vault.transitCalls()).isZero();
  }

  @Test
  void nothingListening_isUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Kek down = kek("http://127.0.0.1:" + port + "/transit/keys/orders", TOKEN);

    assertThat(reasonOf(() -> down.wrap(DEK))).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void slowVault_timesOutAsUnavailable() throws Exception {
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.createContext(
        "/",
        exchange -> {
          try {
            Thread.sleep(2_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    slow.start();
    try {
      String url = "http://127.0.0.1:" + slow.getAddress().getPort() + "/transit/keys/k";
      Kek kekOfSlow =
          new VaultKekProvider(name -> null, Duration.ofMillis(200))
              .create(url, Map.of("token.id", TOKEN));

      assertThat(reasonOf(() -> kekOfSlow.wrap(DEK))).isEqualTo(Reason.UNAVAILABLE);
    } finally {
      slow.stop(0);
    }
  }

  @Test
  void errorMessages_neverContainTheToken() {
    byte[] wrapped = kek.wrap(DEK);
    vault.failNext(403, 1);
    vault.failNext(503, 1);
    vault.failNext(400, 1);
    Kek wrong = kek(vault.keyUrl("transit", "orders"), "hvs.wrong-token-secret");
    ThrowingCallable[] calls = {
      () -> kek.wrap(DEK),
      () -> kek.wrap(DEK),
      () -> kek.unwrap(wrapped),
      () -> wrong.unwrap(wrapped),
      () -> kek(vault.keyUrl("transit", "nope"), TOKEN).wrap(DEK)
    };
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(KmsException.class)
          .message()
          .doesNotContain(TOKEN)
          .doesNotContain("wrong-token-secret")
          .doesNotContain(HexFormat.of().formatHex(DEK));
    }
  }
}
