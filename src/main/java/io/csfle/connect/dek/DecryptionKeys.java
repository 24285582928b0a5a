package io.csfle.connect.dek;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;

/**
 * The reader side: the cipher for a DEK version, read with {@code deleted=true} (soft-deleted keys
 * still decrypt), checked against the request ({@link CheckingDekStore}) and unwrapped once. Up to
 * {@code maxCached} DEK versions are kept, the least recently used ones evicted first (roughly: see
 * {@link BoundedCache}); a KMS call happens once per cached DEK version, not per record.
 */
public final class DecryptionKeys implements AutoCloseable {
  /**
   * DEK versions kept by default: many subjects times a few versions each, at about 2.6 KB per
   * version (about 26 MB when full).
   */
  public static final int DEFAULT_MAX_CACHED = 10_000;

  private final KekResolver keks;
  private final DekAlgorithm algorithm;
  private final BoundedCache<SubjectVersion, FieldCipher> cipherByVersion;
  private final EntityKeys entities;

  /** One DEK version of a subject: the KEK and algorithm are this instance's. */
  private record SubjectVersion(String subject, int version) {}

  /**
   * @param maxCached how many DEK versions are kept unwrapped (at least 1)
   */
  public DecryptionKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int maxCached) {
    this(store, providers, kek, algorithm, maxCached, null);
  }

  /**
   * As above, reading a subject's entity key ({@link EntityKeys}) when the store holds one and its
   * ordinary DEK otherwise; closing closes {@code entities}.
   *
   * @param entities null when no subject is an entity subject
   */
  public DecryptionKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int maxCached,
      EntityKeys entities) {
    this.keks = new KekResolver(store, providers, kek);
    this.algorithm = algorithm;
    this.cipherByVersion = new BoundedCache<>(maxCached);
    this.entities = entities;
  }

  /** The cipher for version {@code version} of {@code subject} under the configured KEK. */
  public FieldCipher forVersion(String subject, int version) {
    FieldCipher cipher = cipherByVersion.get(new SubjectVersion(subject, version));
    if (cipher == null && entities != null) {
      cipher = entities.forVersion(subject, version).orElse(null);
    }
    return cipher != null ? cipher : load(new SubjectVersion(subject, version));
  }

  private synchronized FieldCipher load(SubjectVersion key) {
    FieldCipher cipher = cipherByVersion.get(key);
    if (cipher != null) {
      return cipher;
    }
    if (key.version() < 1) {
      // Versions count from 1; a ciphertext naming another has no DEK, and no store is asked.
      throw new MissingDekException(
          "DEK '" + key.subject() + "' version " + key.version() + " cannot exist (versions >= 1)");
    }
    RegisteredKek kek = keks.kekForRead(keks.settings().name());
    DekSubject dekSubject = new DekSubject(keks.settings().name(), key.subject(), algorithm);
    RegisteredDek dek = keks.dekForRead(dekSubject, key.version());
    cipher = keks.cipherFor(kek, dek);
    cipherByVersion.put(key, cipher);
    return cipher;
  }

  /** Closes the KMS clients this instance built (connections, channels, threads). */
  @Override
  public void close() {
    keks.close();
    if (entities != null) {
      entities.close();
    }
  }
}
