package io.csfle.connect.dek;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The reader side: the cipher for a DEK version, read with {@code deleted=true} (soft-deleted keys
 * still decrypt), checked against the request ({@link CheckingDekStore}) and unwrapped once. Up to
 * {@code maxCached} DEK versions are kept, the least recently used ones evicted first (roughly: see
 * {@link BoundedCache}); a KMS call happens once per cached DEK version, not per record.
 *
 * <p>A cached version is trusted for {@code ttlMillis}; the next use after that reads it from the
 * store again (no KMS call while its wrapped bytes are unchanged), so a DEK destroyed in the store
 * stops decrypting within that time. A version that is gone, in a subject that has no version left,
 * is {@linkplain ForgottenDekException forgotten}; that verdict is kept for the same time, so a
 * stream of a forgotten entity's records costs one store read per subject per time-to-live.
 */
public final class DecryptionKeys implements AutoCloseable {
  /**
   * DEK versions kept by default: many subjects times a few versions each, at about 2.6 KB per
   * version (about 26 MB when full).
   */
  public static final int DEFAULT_MAX_CACHED = 10_000;

  /** How long a cached DEK is used before the store is asked again, by default: 5 minutes. */
  public static final long DEFAULT_TTL_MILLIS = 300_000L;

  private final KekResolver keks;
  private final DekAlgorithm algorithm;
  private final long ttlMillis;
  private final LongSupplier clock;
  private final BoundedCache<SubjectVersion, Cached> cipherByVersion;
  private final BoundedCache<String, Long> forgottenSince;
  private final EntityKeys entities;

  /** One DEK version of a subject: the KEK and algorithm are this instance's. */
  private record SubjectVersion(String subject, int version) {}

  /** An unwrapped DEK, the wrapped bytes it came from, and when the store last vouched for it. */
  private record Cached(FieldCipher cipher, byte[] wrapped, long checkedAt) {}

  /** As the full constructor with {@link #DEFAULT_TTL_MILLIS} and the system clock. */
  public DecryptionKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int maxCached) {
    this(
        store, providers, kek, algorithm, maxCached, DEFAULT_TTL_MILLIS, System::currentTimeMillis);
  }

  /**
   * As the full constructor with {@link #DEFAULT_TTL_MILLIS} and the system clock.
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
    this(
        store,
        providers,
        kek,
        algorithm,
        maxCached,
        DEFAULT_TTL_MILLIS,
        System::currentTimeMillis,
        entities);
  }

  /** As the full constructor without entity keys. */
  public DecryptionKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int maxCached,
      long ttlMillis,
      LongSupplier clock) {
    this(store, providers, kek, algorithm, maxCached, ttlMillis, clock, null);
  }

  /**
   * Reads a subject's entity key ({@link EntityKeys}) when the store holds one and its ordinary DEK
   * otherwise; closing closes {@code entities}. A subject with neither (no version under the
   * configured KEK nor under its entities KEK) is forgotten.
   *
   * @param maxCached how many DEK versions are kept unwrapped (at least 1)
   * @param ttlMillis how long a cached DEK is used before the store is asked again (at least 1)
   * @param clock epoch milliseconds
   * @param entities null when no subject is an entity subject
   */
  public DecryptionKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int maxCached,
      long ttlMillis,
      LongSupplier clock,
      EntityKeys entities) {
    if (ttlMillis < 1) {
      throw new IllegalArgumentException(
          "DEK cache time-to-live must be >= 1 ms, got " + ttlMillis);
    }
    this.keks = new KekResolver(store, providers, kek);
    this.algorithm = algorithm;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
    this.cipherByVersion = new BoundedCache<>(maxCached);
    this.forgottenSince = new BoundedCache<>(maxCached);
    this.entities = entities;
  }

  /** The cipher for version {@code version} of {@code subject} under the configured KEK. */
  public FieldCipher forVersion(String subject, int version) {
    SubjectVersion key = new SubjectVersion(subject, version);
    Cached cached = cipherByVersion.get(key);
    if (cached != null && clock.getAsLong() - cached.checkedAt() < ttlMillis) {
      return cached.cipher();
    }
    if (entities != null && version >= 1) {
      // A forgotten entity's verdict first: its records cost no store read until it expires.
      Long forgotten = forgottenSince.get(subject);
      if (forgotten != null && clock.getAsLong() - forgotten < ttlMillis) {
        throw forgotten(key);
      }
      Optional<FieldCipher> entityKey = entities.forVersion(subject, version);
      if (entityKey.isPresent()) {
        return entityKey.get();
      }
    }
    return load(key);
  }

  private synchronized FieldCipher load(SubjectVersion key) {
    long now = clock.getAsLong();
    Cached cached = cipherByVersion.get(key);
    if (cached != null && now - cached.checkedAt() < ttlMillis) {
      return cached.cipher();
    }
    if (key.version() < 1) {
      // Versions count from 1; a ciphertext naming another has no DEK, and no store is asked.
      throw new MissingDekException(
          "DEK '" + key.subject() + "' version " + key.version() + " cannot exist (versions >= 1)");
    }
    Long forgotten = forgottenSince.get(key.subject());
    if (forgotten != null && now - forgotten < ttlMillis) {
      throw forgotten(key);
    }
    // The KEK first: a KEK that is missing (a wrong name) is a configuration error, never a
    // reason to take every subject under it for forgotten.
    RegisteredKek kek = keks.kekForRead(keks.settings().name());
    DekSubject dekSubject = new DekSubject(kek.name(), key.subject(), algorithm);
    Optional<RegisteredDek> found = keks.findDekForRead(dekSubject, key.version());
    if (found.isEmpty()) {
      cipherByVersion.remove(key);
      if (keks.hasNoVersions(dekSubject)
          && (entities == null || entities.hasNoVersions(key.subject()))) {
        forgottenSince.put(key.subject(), now);
        throw forgotten(key);
      }
      throw keks.missing(dekSubject, key.version());
    }
    RegisteredDek dek = found.get();
    FieldCipher cipher =
        cached != null && Arrays.equals(cached.wrapped(), dek.encryptedKeyMaterial())
            ? cached.cipher()
            : keks.cipherFor(kek, dek);
    cipherByVersion.put(key, new Cached(cipher, dek.encryptedKeyMaterial(), now));
    return cipher;
  }

  private ForgottenDekException forgotten(SubjectVersion key) {
    return new ForgottenDekException(
        "DEK '"
            + key.subject()
            + "' version "
            + key.version()
            + " ("
            + algorithm
            + ") of KEK '"
            + keks.settings().name()
            + (entities == null ? "" : "' (nor an entity key under '" + entities.entityKekName())
            + "' does not exist in the DEK registry, nor does any other version of its subject:"
            + " permanently deleted, the entity forgotten (crypto-shredded)");
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
