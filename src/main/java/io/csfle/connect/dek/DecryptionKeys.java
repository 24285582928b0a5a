package io.csfle.connect.dek;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.registry.DekRegistry;
import io.csfle.connect.registry.RegisteredDek;
import io.csfle.connect.registry.RegisteredKek;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reader side: the cipher for a DEK version, read with {@code deleted=true} (soft-deleted keys
 * still decrypt) and unwrapped once. Up to {@code maxCached} ciphers are kept; a KMS call happens
 * once per DEK version, not per record.
 */
public final class DecryptionKeys implements AutoCloseable {
  public static final int DEFAULT_MAX_CACHED = 10_000;

  private final DekRegistry registry;
  private final KekResolver keks;
  private final DekAlgorithm algorithm;
  private final int maxCached;
  private final Map<String, Map<Integer, FieldCipher>> cipherBySubject = new ConcurrentHashMap<>();
  private int cached;

  public DecryptionKeys(
      DekRegistry registry,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int maxCached) {
    this.registry = registry;
    this.keks = new KekResolver(registry, providers, kek);
    this.algorithm = algorithm;
    this.maxCached = maxCached;
  }

  /** The cipher for version {@code version} of {@code subject} under the configured KEK. */
  public FieldCipher forVersion(String subject, int version) {
    Map<Integer, FieldCipher> versions = cipherBySubject.get(subject);
    FieldCipher cipher = versions == null ? null : versions.get(version);
    return cipher != null ? cipher : load(subject, version);
  }

  private synchronized FieldCipher load(String subject, int version) {
    Map<Integer, FieldCipher> versions =
        cipherBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    FieldCipher cipher = versions.get(version);
    if (cipher != null) {
      return cipher;
    }
    String kekName = keks.settings().name();
    RegisteredKek kek = keks.kekForRead(kekName);
    RegisteredDek dek = keks.dekForRead(subject, version, algorithm);
    cipher = keks.cipherFor(kek, dek);
    if (++cached > maxCached) {
      // Rare: far more DEK versions than any workload should use. Start over rather than track
      // recency on every record.
      cipherBySubject.clear();
      versions = cipherBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
      cached = 1;
    }
    versions.put(version, cipher);
    return cipher;
  }

  /** Closes the KMS clients this instance built (connections, channels, threads). */
  @Override
  public void close() {
    keks.close();
  }
}
