package io.csfle.connect.dek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DekRewrapperTest {
  private static final DekAlgorithm ALG = DekAlgorithm.AES256_GCM;
  private static final DekSubject DEK = new DekSubject("ops_kek", "t-value", ALG);
  private static final KekSettings KEK =
      new KekSettings("ops_kek", "local-kms", "k", Map.of("secret", "s3"));

  private final InMemoryDekRegistryServer server = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  private final RestDekStore registry = new RestDekStore(RegistryClientConfig.of(server.url()));

  @AfterEach
  void stop() {
    registry.close();
    server.close();
  }

  @Test
  void rewrap_replacesWrappedMaterialOfEveryVersionAndOldCiphertextStillDecrypts() {
    AtomicLong now = new AtomicLong(System.currentTimeMillis());
    EncryptionKeys writer =
        new EncryptionKeys(registry, KekProviders.standard(), KEK, ALG, 1, now::get);
    byte[] v1Ciphertext =
        writer.forSubject("t-value").cipher().encrypt("one".getBytes(StandardCharsets.UTF_8));
    now.addAndGet(2 * EncryptionKeys.DAY_MILLIS);
    server.clock(now::get);
    assertThat(writer.forSubject("t-value").version()).isEqualTo(2);
    byte[] wrappedBefore = registry.getDek(DEK, 1, false).orElseThrow().encryptedKeyMaterial();

    assertThat(new DekRewrapper(registry, KekProviders.standard(), KEK).rewrap("t-value", ALG))
        .containsExactly(1, 2);

    assertThat(registry.getDek(DEK, 1, false).orElseThrow().encryptedKeyMaterial())
        .isNotEqualTo(wrappedBefore);
    DecryptionKeys reader = new DecryptionKeys(registry, KekProviders.standard(), KEK, ALG, 10);
    assertThat(reader.forVersion("t-value", 1).decrypt(v1Ciphertext, 0, v1Ciphertext.length))
        .isEqualTo("one".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sharedKek_isRefusedBecauseTheRegistryWrapsItsDeks() {
    registry.createKek(new NewKek("ops_kek", "local-kms", "k", Map.of(), null, true));
    assertThatThrownBy(
            () -> new DekRewrapper(registry, KekProviders.standard(), KEK).rewrap("t-value", ALG))
        .isInstanceOf(DekException.class)
        .hasMessageContaining("shared");
  }
}
