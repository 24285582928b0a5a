package io.csfle.connect.kms.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.KmsException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class LocalKekTest {
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "11".repeat(32));

  @Test
  void knownSecret_derivesConfluentsKek() throws Exception {
    assertThat(HexFormat.of().formatHex(LocalKek.deriveKey("mysecret")))
        .isEqualTo("1ae4d97ac1e81594bfd1993c1a75ee36");
  }

  @Test
  void wrap_isAes128GcmOfTheDerivedKeyWithIvPrefix() throws Exception {
    byte[] wrapped = new LocalKek("mysecret").wrap(DEK);

    assertThat(wrapped).hasSize(12 + DEK.length + 16);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(LocalKek.deriveKey("mysecret"), "AES"),
        new GCMParameterSpec(128, wrapped, 0, 12));
    assertThat(cipher.doFinal(wrapped, 12, wrapped.length - 12)).isEqualTo(DEK);
  }

  @Test
  void wrappedByJce_unwraps() throws Exception {
    byte[] iv = HexFormat.of().parseHex("000102030405060708090a0b");
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(LocalKek.deriveKey("mysecret"), "AES"),
        new GCMParameterSpec(128, iv));
    byte[] body = cipher.doFinal(DEK);
    byte[] wrapped = new byte[12 + body.length];
    System.arraycopy(iv, 0, wrapped, 0, 12);
    System.arraycopy(body, 0, wrapped, 12, body.length);

    assertThat(new LocalKek("mysecret").unwrap(wrapped)).isEqualTo(DEK);
  }

  @Test
  void otherSecret_cannotUnwrap() {
    byte[] wrapped = new LocalKek("mysecret").wrap(DEK);

    assertThatThrownBy(() -> new LocalKek("othersecret").unwrap(wrapped))
        .isInstanceOf(KmsException.class)
        .satisfies(
            e ->
                assertThat(((KmsException) e).reason())
                    .isEqualTo(KmsException.Reason.INVALID_CIPHERTEXT));
  }

  @Test
  void secretProperty_winsOverEnvironment() {
    Kek fromProps =
        new LocalKekProvider(name -> "envsecret").create("ignored", Map.of("secret", "mysecret"));
    Kek fromEnv = new LocalKekProvider(name -> "mysecret").create("ignored", Map.of());

    assertThat(fromEnv.unwrap(fromProps.wrap(DEK))).isEqualTo(DEK);
  }

  @Test
  void noSecretAnywhere_isMisconfiguredAndNamesTheEnvVariable() {
    assertThatThrownBy(() -> new LocalKekProvider(name -> null).create("id", Map.of()))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("LOCAL_SECRET")
        .satisfies(e -> assertThat(((KmsException) e).isRetriable()).isFalse());
  }

  @Test
  void unknownKmsType_listsSupportedTypes() {
    assertThatThrownBy(() -> KekProviders.standard().create("nope-kms", "id", Map.of()))
        .isInstanceOf(KmsException.class)
        .hasMessageContaining("nope-kms")
        .hasMessageContaining("local-kms");
  }

  @Test
  void errorMessages_neverContainTheSecret() {
    byte[] garbage = "not a wrapped key at all, long enough".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new LocalKek("hunter2-secret").unwrap(garbage))
        .message()
        .doesNotContain("hunter2");
  }
}
