package io.csfle.connect.adversarial;

import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.testing.LeakWatch;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-memory DEK registry whose DEKs this suite chose itself: for each crypto mode, a KEK and one
 * DEK (version 1) per subject, wrapped with the local KMS. Knowing the key bytes lets a test
 * encrypt hostile plaintexts that decrypt fine, so the codec is attacked rather than the cipher,
 * and lets {@link LeakWatch} look for them. Every key and the KMS secret are registered with the
 * watch when created.
 */
final class KnownDeks implements AutoCloseable {
  /** The local KMS secret: unique, so a leak of it is unmistakable. */
  static final String KMS_SECRET = "LOCAL-KMS-SECRET-5c1e0b7d";

  /** The topic every adversarial record is on; its DEK subject is {@code orders-value}. */
  static final String TOPIC = "orders";

  /** A second topic with a DEK of its own: the source of ciphertexts "of another DEK". */
  static final String OTHER_TOPIC = "others";

  static final int PARTITION = 3;
  static final long OFFSET = 1234L;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final InMemoryDekRegistryServer registry;
  private final LeakWatch leaks;
  private final Map<String, byte[]> rawKeys = new LinkedHashMap<>();

  private KnownDeks(InMemoryDekRegistryServer registry, LeakWatch leaks) {
    this.registry = registry;
    this.leaks = leaks;
  }

  static KnownDeks start(LeakWatch leaks, CryptoMode... modes) {
    leaks.secret(KMS_SECRET);
    KnownDeks deks = new KnownDeks(InMemoryDekRegistryServer.start(Mode.CONFLUENT), leaks);
    for (CryptoMode mode : modes) {
      deks.register(mode);
    }
    return deks;
  }

  private void register(CryptoMode mode) {
    try (RestDekStore client = new RestDekStore(RegistryClientConfig.of(registry.url()))) {
      client.createKek(new NewKek(mode.kekName(), "local-kms", "adv-key", Map.of(), null, false));
      for (String topic : new String[] {TOPIC, OTHER_TOPIC}) {
        byte[] raw = new byte[mode.algorithm().keySize()];
        RANDOM.nextBytes(raw);
        leaks.keyBytes(raw);
        byte[] wrapped =
            KekProviders.standard()
                .create("local-kms", "adv-key", Map.of("secret", KMS_SECRET))
                .wrap(KeyMaterial.serialize(mode.algorithm(), raw));
        client.createDek(
            new NewDek(
                new DekSubject(mode.kekName(), topic + "-value", mode.algorithm()), 1, wrapped));
        rawKeys.put(mode.kekName() + "/" + topic, raw);
      }
    }
  }

  /** The transform settings for the mode, on the given comma-separated field paths. */
  Map<String, String> config(CryptoMode mode, String fields) {
    Map<String, String> config = new HashMap<>();
    config.put("fields", fields);
    config.put("schema.registry.url", registry.url());
    config.put("encrypt.kek.name", mode.kekName());
    config.put("encrypt.kms.type", "local-kms");
    config.put("encrypt.kms.key.id", "adv-key");
    config.put("kms.secret", KMS_SECRET);
    config.put("encrypt.dek.algorithm", mode.algorithm().name());
    config.put("encrypt.dek.expiry.days", Integer.toString(mode.expiryDays()));
    config.put("encrypted.value.type", mode.output());
    config.put("retries.wait.ms", "1");
    config.put("retries.max.wait.ms", "5");
    config.put("max.retries", "1");
    return config;
  }

  /**
   * What the transform would write for {@code plaintext} on {@code topic}: the ciphertext under the
   * topic's DEK, with the version prefix in rotation mode. Hostile plaintexts go in here.
   */
  byte[] encrypt(CryptoMode mode, String topic, byte[] plaintext) {
    byte[] raw = rawKeys.get(mode.kekName() + "/" + topic);
    FieldCipher cipher =
        FieldCipher.of(
            mode.algorithm(),
            KeyMaterial.serialize(mode.algorithm(), Arrays.copyOf(raw, raw.length)));
    byte[] ciphertext = cipher.encrypt(plaintext);
    return mode.rotating() ? CiphertextFrame.withVersion(1, ciphertext) : ciphertext;
  }

  @Override
  public void close() {
    registry.close();
  }

  /** Algorithm, rotation mode (expiry days) and the output type of typed fields. */
  record CryptoMode(DekAlgorithm algorithm, int expiryDays, String output) {
    static final CryptoMode GCM = new CryptoMode(DekAlgorithm.AES256_GCM, 0, "string");
    static final CryptoMode GCM_ROTATING_BYTES =
        new CryptoMode(DekAlgorithm.AES128_GCM, 7, "bytes");
    static final CryptoMode SIV = new CryptoMode(DekAlgorithm.AES256_SIV, 0, "bytes");
    static final CryptoMode SIV_ROTATING = new CryptoMode(DekAlgorithm.AES256_SIV, 30, "string");

    static CryptoMode[] all() {
      return new CryptoMode[] {GCM, GCM_ROTATING_BYTES, SIV, SIV_ROTATING};
    }

    /** The mode's place in {@link #all()}, to derive seeds and marker numbers from. */
    int ordinal() {
      return java.util.Arrays.asList(all()).indexOf(this);
    }

    boolean rotating() {
      return expiryDays > 0;
    }

    /** Ciphertext overhead: IV and tag (GCM) or the synthetic IV (SIV), plus the prefix. */
    int overhead() {
      return (algorithm.isDeterministic() ? 16 : 28)
          + (rotating() ? CiphertextFrame.PREFIX_LENGTH : 0);
    }

    String kekName() {
      return "adv_" + algorithm.name().toLowerCase() + "_" + expiryDays + "_" + output;
    }

    @Override
    public String toString() {
      return algorithm + (rotating() ? " rotating" : "") + " " + output;
    }
  }
}
