package io.csfle.connect.kms.azure;

import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.EncryptionAlgorithm;
import io.csfle.connect.kms.Classloading;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekAnswers;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.remote.SecretScrubber;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One Key Vault key: wrap is {@code encrypt} with RSA-OAEP-256, unwrap is {@code decrypt}. With
 * {@code key.version.save} the wrapped bytes start with {@code azure:v1:<version>:} so that unwrap
 * targets the key version that wrapped them even after the key rotated; unwrap reads both forms.
 * Every call is remote (Key Vault holds the private key) and runs with this plugin's classloader as
 * context classloader.
 */
final class AzureKek implements Kek {
  static final String PREFIX = "azure:v1:";
  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION_LENGTH = 32;
  private static final int PREFIXED_HEADER = PREFIX_BYTES.length + VERSION_LENGTH + 1;
  private static final int MAX_CACHED_VERSIONS = 64;

  private final AzureKeyId key;
  private final Function<AzureKeyId, CryptographyClient> clientFactory;
  private final boolean saveVersion;
  private final Map<String, CryptographyClient> clients = new ConcurrentHashMap<>();
  private final Supplier<SecretScrubber> scrubber;

  AzureKek(
      AzureKeyId key,
      Function<AzureKeyId, CryptographyClient> clientFactory,
      boolean saveVersion,
      Supplier<SecretScrubber> scrubber) {
    this.key = key;
    this.clientFactory = clientFactory;
    this.saveVersion = saveVersion;
    this.scrubber = scrubber;
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    return call(
        "encrypt",
        key,
        keyMaterial,
        () -> {
          var result = client(key).encrypt(EncryptionAlgorithm.RSA_OAEP_256, keyMaterial);
          byte[] ciphertext =
              KekAnswers.checkWrapped(
                  "azure-kms encrypt with key " + key.id(), keyMaterial, result.getCipherText());
          if (!saveVersion) {
            return ciphertext;
          }
          String version =
              key.version() != null ? key.version() : AzureKeyId.versionOf(result.getKeyId());
          if (!AzureKeyId.isVersion(version)) {
            throw new KmsException(
                KmsException.Reason.MISCONFIGURED,
                "azure-kms encrypt with key "
                    + key.id()
                    + " cannot save the key version: neither the key id nor Key Vault's answer"
                    + " ("
                    + scrubber.get().serverText(result.getKeyId())
                    + ") names a 32-hex-digit version; set key.version.save=false or put the"
                    + " version in the key id");
          }
          return prefixed(version, ciphertext);
        });
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    String version = savedVersion(encryptedKeyMaterial);
    AzureKeyId target = version == null ? key : key.withVersion(version);
    byte[] ciphertext =
        version == null
            ? encryptedKeyMaterial
            : Arrays.copyOfRange(
                encryptedKeyMaterial, PREFIXED_HEADER, encryptedKeyMaterial.length);
    return call(
        "decrypt",
        target,
        null,
        () ->
            KekAnswers.checkUnwrapped(
                "azure-kms decrypt with key " + target.id(),
                client(target)
                    .decrypt(EncryptionAlgorithm.RSA_OAEP_256, ciphertext)
                    .getPlainText()));
  }

  /** The key version of {@code azure:v1:<version>:} wrapped bytes, or null for raw ciphertext. */
  static String savedVersion(byte[] wrapped) {
    if (wrapped.length <= PREFIXED_HEADER
        || !Arrays.equals(wrapped, 0, PREFIX_BYTES.length, PREFIX_BYTES, 0, PREFIX_BYTES.length)
        || wrapped[PREFIXED_HEADER - 1] != ':') {
      return null;
    }
    String version =
        new String(wrapped, PREFIX_BYTES.length, VERSION_LENGTH, StandardCharsets.US_ASCII);
    return AzureKeyId.isVersion(version) ? version : null;
  }

  static byte[] prefixed(String version, byte[] ciphertext) {
    byte[] header = (PREFIX + version + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(header, header.length + ciphertext.length);
    System.arraycopy(ciphertext, 0, out, header.length, ciphertext.length);
    return out;
  }

  private CryptographyClient client(AzureKeyId target) {
    String version = target.version() == null ? "" : target.version();
    CryptographyClient client = clients.get(version);
    if (client == null) {
      if (clients.size() >= MAX_CACHED_VERSIONS) {
        clients.clear();
      }
      client = clients.computeIfAbsent(version, v -> clientFactory.apply(target));
    }
    return client;
  }

  private byte[] call(
      String operation, AzureKeyId target, byte[] keyMaterial, Supplier<byte[]> request) {
    try {
      return Classloading.withPluginLoader(request);
    } catch (RuntimeException e) {
      SecretScrubber forCall =
          keyMaterial == null
              ? scrubber.get()
              : scrubber.get().and(KekAnswers.scrubberFor(keyMaterial));
      throw AzureErrors.classify(operation, target.id(), e, forCall);
    }
  }

  @Override
  public String toString() {
    return "AzureKek[" + key.id() + "]";
  }
}
