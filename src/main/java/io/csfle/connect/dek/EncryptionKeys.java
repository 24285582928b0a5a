package io.csfle.connect.dek;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer side: for each DEK subject, the DEK to encrypt with, created on first use and rotated
 * when it expires, following Confluent's client. After the first record of a subject, a call makes
 * no store or KMS request until the DEK expires, as long as the subject stays among the {@code
 * maxSubjects} cached ones (a subject evicted to make room is read again on its next record). Every
 * DEK the store answers with is checked against the request first ({@link CheckingDekStore}).
 */
public final class EncryptionKeys implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EncryptionKeys.class);
  static final long DAY_MILLIS = 86_400_000L;

  /** After a failed rotation, keep the expired DEK this long before trying again. */
  static final long ROTATION_RETRY_MILLIS = 60_000L;

  /**
   * Subjects whose DEKs are kept by default: far more than one subject per topic needs, at about
   * 2.6 KB each (about 26 MB when full).
   */
  public static final int DEFAULT_MAX_SUBJECTS = 10_000;

  private final DekStore store;
  private final KekResolver keks;
  private final DekAlgorithm algorithm;
  private final int expiryDays;
  private final LongSupplier clock;
  private final long ttlMillis;
  private final BoundedCache<String, Held> keyBySubject;

  /** A subject's DEK and when the store last vouched for it. */
  private record Held(EncryptionKey key, long checkedAt) {}

  /**
   * As {@link #EncryptionKeys(DekStore, KekProviders, KekSettings, DekAlgorithm, int, LongSupplier,
   * int)} with {@link #DEFAULT_MAX_SUBJECTS}.
   */
  public EncryptionKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int expiryDays,
      LongSupplier clock) {
    this(store, providers, kek, algorithm, expiryDays, clock, DEFAULT_MAX_SUBJECTS);
  }

  /**
   * @param expiryDays 0 for no rotation (always version 1, no ciphertext prefix); N &gt; 0 to use
   *     the latest version and create a new one once it is N whole days old
   * @param clock epoch milliseconds
   * @param maxSubjects how many subjects' DEKs are kept unwrapped (at least 1)
   */
  public EncryptionKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int expiryDays,
      LongSupplier clock,
      int maxSubjects) {
    this(store, providers, kek, algorithm, expiryDays, clock, maxSubjects, Long.MAX_VALUE);
  }

  /**
   * As above; a subject's DEK is used for {@code ttlMillis} before the store is asked whether it
   * still holds it (one store read, no KMS call while it does). A DEK destroyed in the store (a
   * forgotten entity) is replaced by the subject's current or a new DEK on the first record after
   * that time, so a writer does not go on encrypting under a destroyed key.
   *
   * @param ttlMillis at least 1; {@link Long#MAX_VALUE} never asks again
   */
  public EncryptionKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int expiryDays,
      LongSupplier clock,
      int maxSubjects,
      long ttlMillis) {
    if (ttlMillis < 1) {
      throw new IllegalArgumentException(
          "DEK cache time-to-live must be >= 1 ms, got " + ttlMillis);
    }
    this.ttlMillis = ttlMillis;
    this.store = CheckingDekStore.around(store);
    this.keks = new KekResolver(this.store, providers, kek);
    this.algorithm = algorithm;
    this.expiryDays = expiryDays;
    this.clock = clock;
    this.keyBySubject = new BoundedCache<>(maxSubjects);
  }

  /** True when ciphertexts carry the DEK version prefix. */
  public boolean rotating() {
    return expiryDays > 0;
  }

  /** The DEK to encrypt a record of {@code subject} with. */
  public EncryptionKey forSubject(String subject) {
    Held held = keyBySubject.get(subject);
    if (held != null) {
      long now = clock.getAsLong();
      if (now - held.checkedAt() < ttlMillis && (expiryDays == 0 || !held.key().isExpiredAt(now))) {
        return held.key();
      }
    }
    synchronized (this) {
      held = keyBySubject.get(subject);
      long now = clock.getAsLong();
      EncryptionKey key;
      long checkedAt = now;
      if (held == null || (now - held.checkedAt() >= ttlMillis && !stillStored(subject, held))) {
        key = load(subject, now);
      } else {
        key = held.key();
        checkedAt = now - held.checkedAt() >= ttlMillis ? now : held.checkedAt();
        if (key.isExpiredAt(now)) {
          key = rotate(subject, key, now);
        }
      }
      keyBySubject.put(subject, new Held(key, checkedAt));
      return key;
    }
  }

  /** True when the store still holds the DEK version {@code held} encrypts with, unchanged. */
  private boolean stillStored(String subject, Held held) {
    EncryptionKey key = held.key();
    Optional<RegisteredDek> stored =
        store.getDek(dekSubject(keks.kekForWrite(), subject), key.version(), false);
    boolean same =
        stored.isPresent() && (key.stored() == null || key.stored().sameAs(stored.get()));
    if (!same) {
      log.info(
          "DEK '{}' version {} is no longer in the DEK store (forgotten or replaced); stopped"
              + " encrypting with it",
          subject,
          key.version());
    }
    return same;
  }

  /**
   * Creates the next version of {@code subject}'s DEK now (version 1 when there is none) and
   * encrypts with it from then on: "rotate now", for rotation mode only.
   *
   * @throws IllegalStateException when not in rotation mode (every DEK would be version 1)
   */
  public synchronized EncryptionKey rotateNow(String subject) {
    if (!rotating()) {
      throw new IllegalStateException("rotating a DEK needs rotation mode (expiry days > 0)");
    }
    RegisteredKek kek = keks.kekForWrite();
    int next =
        store
            .getLatestDek(dekSubject(kek, subject), true)
            .map(dek -> nextVersion(kek, subject, dek.version()))
            .orElse(1);
    EncryptionKey key = create(kek, subject, next);
    keyBySubject.put(subject, new Held(key, clock.getAsLong()));
    log.info("Rotated DEK '{}' of KEK '{}' to version {} on request", subject, kek.name(), next);
    return key;
  }

  /**
   * Pre-registration for a key operator: the writer's KEK and the current DEK of {@code subject},
   * found or created exactly as a writer's first record would. An expired DEK is replaced by a new
   * version only when {@code rotateExpired}; unlike a writer, a failed rotation is thrown, not
   * logged.
   *
   * @throws IllegalStateException for {@code rotateExpired} when not in rotation mode
   */
  public synchronized EncryptionKey register(String subject, boolean rotateExpired) {
    if (rotateExpired && !rotating()) {
      throw new IllegalStateException("rotating a DEK needs rotation mode (expiry days > 0)");
    }
    RegisteredKek kek = keks.kekForWrite();
    EncryptionKey key = current(kek, subject);
    if (rotateExpired && key.isExpiredAt(clock.getAsLong())) {
      key = create(kek, subject, nextVersion(kek, subject, key.version()));
    }
    keyBySubject.put(subject, new Held(key, clock.getAsLong()));
    return key;
  }

  private EncryptionKey load(String subject, long now) {
    EncryptionKey key = current(keks.kekForWrite(), subject);
    return key.isExpiredAt(now) ? rotate(subject, key, now) : key;
  }

  /** The DEK a writer starts from: version 1 (latest in rotation mode), created when absent. */
  private EncryptionKey current(RegisteredKek kek, String subject) {
    Optional<RegisteredDek> existing =
        rotating()
            ? store.getLatestDek(dekSubject(kek, subject), false)
            : store.getDek(dekSubject(kek, subject), 1, false);
    return existing.isPresent() ? toKey(kek, existing.get()) : create(kek, subject, 1);
  }

  private EncryptionKey rotate(String subject, EncryptionKey expired, long now) {
    RegisteredKek kek = keks.kekForWrite();
    try {
      EncryptionKey next = create(kek, subject, nextVersion(kek, subject, expired.version()));
      log.info("Rotated DEK '{}' of KEK '{}' to version {}", subject, kek.name(), next.version());
      return next;
    } catch (RuntimeException e) {
      log.warn(
          "Could not rotate DEK '{}' of KEK '{}' past version {}; still encrypting with it and"
              + " retrying in {} s: {}",
          subject,
          kek.name(),
          expired.version(),
          ROTATION_RETRY_MILLIS / 1000,
          e.toString());
      return expired.expiringAt(now + ROTATION_RETRY_MILLIS);
    }
  }

  /**
   * Creates {@code version}; if another writer created it first (409) the winner's DEK is read back
   * and used, never the one generated here.
   */
  private EncryptionKey create(RegisteredKek kek, String subject, int version) {
    byte[] keyMaterial = kek.shared() ? null : KeyMaterial.generate(algorithm);
    try {
      DekId dek = new DekId(dekSubject(kek, subject), version);
      byte[] wrapped = keyMaterial == null ? null : keks.wrap(kek, dek, keyMaterial);
      RegisteredDek created = store.createDek(new NewDek(dek.dekSubject(), version, wrapped));
      log.info(
          "Created DEK '{}' version {} ({}) under KEK '{}'",
          subject,
          created.version(),
          algorithm,
          kek.name());
      if (keyMaterial != null) {
        return new EncryptionKey(
            created.version(),
            FieldCipher.of(algorithm, keyMaterial),
            freshExpiry(created),
            StoredDek.of(created));
      }
      return new EncryptionKey(
          created.version(),
          keks.cipherFor(kek, created),
          freshExpiry(created),
          StoredDek.of(created));
    } catch (DekStoreException e) {
      if (e.kind() != DekStoreException.Kind.CONFLICT) {
        throw e;
      }
      RegisteredDek winner = winnerOfRace(kek, subject, version);
      return new EncryptionKey(
          winner.version(), keks.cipherFor(kek, winner), freshExpiry(winner), StoredDek.of(winner));
    } finally {
      if (keyMaterial != null) {
        Arrays.fill(keyMaterial, (byte) 0);
      }
    }
  }

  private RegisteredDek winnerOfRace(RegisteredKek kek, String subject, int version) {
    Optional<RegisteredDek> winner =
        rotating()
            ? store.getLatestDek(dekSubject(kek, subject), false)
            : store.getDek(dekSubject(kek, subject), version, false);
    return winner
        .filter(dek -> dek.version() >= version)
        .orElseThrow(
            () ->
                new DekException(
                    "DEK '"
                        + subject
                        + "' version "
                        + version
                        + " of KEK '"
                        + kek.name()
                        + "' exists but is soft-deleted; undelete it in the DEK registry"));
  }

  private DekSubject dekSubject(RegisteredKek kek, String subject) {
    return new DekSubject(kek.name(), subject, algorithm);
  }

  /** The version after {@code version}; the store's versions are checked to be &ge; 1 already. */
  private int nextVersion(RegisteredKek kek, String subject, int version) {
    if (version == Integer.MAX_VALUE) {
      throw new DekStoreAnswerException(
          "Refused the DEK store's answer for the latest version of DEK '"
              + subject
              + "' of KEK '"
              + kek.name()
              + "': version "
              + version
              + " has no next version; check the DEK store");
    }
    return version + 1;
  }

  private EncryptionKey toKey(RegisteredKek kek, RegisteredDek dek) {
    return new EncryptionKey(
        dek.version(), keks.cipherFor(kek, dek), expiry(dek), StoredDek.of(dek));
  }

  private long expiry(RegisteredDek dek) {
    return expiryFrom(dek.ts());
  }

  /**
   * The expiry of a DEK created just now (by this writer or a racing one): counted from the later
   * of the store's timestamp and this worker's clock. A store whose clock is days behind (or that
   * answers {@code ts: 0}) would otherwise hand back a DEK that is expired at birth, and the writer
   * would create a new version for every record.
   */
  private long freshExpiry(RegisteredDek dek) {
    return expiryFrom(Math.max(dek.ts(), clock.getAsLong()));
  }

  /** Saturating: a far-future {@code ts} from a store must not wrap round into "expired". */
  private long expiryFrom(long createdAtMillis) {
    if (!rotating()) {
      return Long.MAX_VALUE;
    }
    long lifetime = expiryDays * DAY_MILLIS;
    return createdAtMillis > Long.MAX_VALUE - lifetime
        ? Long.MAX_VALUE
        : createdAtMillis + lifetime;
  }

  /** Closes the KMS clients this instance built (connections, channels, threads). */
  @Override
  public void close() {
    keks.close();
  }
}
