package io.csfle.connect.dek;

import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.dek.EntityKeyWrap.Binding;
import io.csfle.connect.dek.EntityKeyWrap.Parsed;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-entity keys without a KMS call per entity: each entity subject's key is fresh random key
 * material wrapped locally ({@link EntityKeyWrap}) under a parent subject DEK, an ordinary DEK of
 * the configured KEK that the KMS wraps and that is cached as any DEK. Entity keys are stored as
 * DEKs of the KEK {@code <kek>-entities} (kmsType {@value #KMS_TYPE}, kmsKeyId the configured KEK's
 * name), so any DEK store holds them unchanged. KMS calls are one per parent DEK version, not one
 * per entity.
 *
 * <p>An entity subject that already has an ordinary DEK under the configured KEK (written before
 * the hierarchy, with {@code dek.entity.wrap=kms}) keeps it: writers go on encrypting with it and
 * readers find it when no entity key exists. Unwrapped entity keys are kept in a bounded cache;
 * loading one locks only its stripe of subjects, so first sights of different entities proceed in
 * parallel.
 */
public final class EntityKeys implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EntityKeys.class);

  /**
   * The kmsType of {@code <kek>-entities}: no KMS knows it, so foreign clients cannot misuse it.
   */
  public static final String KMS_TYPE = "csfle-subject-dek";

  /** Appended to the configured KEK's name to name the KEK entity keys are stored under. */
  public static final String KEK_SUFFIX = "-entities";

  /**
   * Entity keys kept unwrapped by default: about 1.5 KB each (an AES256_GCM key measured with its
   * subject and cache slot), so about 75 MB per transform instance when full. A miss costs a store
   * read and a local unwrap, no KMS call, so a larger cache buys little for a one-pass snapshot.
   */
  public static final int DEFAULT_MAX_CACHED = 50_000;

  /** Parent subject DEKs wrap with AES-256-GCM whatever the entity keys' algorithm. */
  static final DekAlgorithm PARENT_ALGORITHM = DekAlgorithm.AES256_GCM;

  private static final int LOCK_STRIPES = 64;

  private final DekStore store;
  private final String kekName;
  private final String entityKekName;
  private final DekAlgorithm algorithm;
  private final boolean rotating;
  private final LongSupplier clock;
  private final long ttlMillis;
  private final EncryptionKeys parentsForWrite;
  private final DecryptionKeys parentsForRead;
  private final BoundedCache<String, Held> keyBySubject;
  private final BoundedCache<SubjectVersion, Cached> cipherByVersion;
  private final Object[] locks = new Object[LOCK_STRIPES];
  private volatile RegisteredKek entityKek;

  private record SubjectVersion(String subject, int version) {}

  /**
   * A writer's key, the stored entity key it came from (null for an ordinary DEK, which {@link
   * EncryptionKeys} re-checks itself) and when the store last vouched for it.
   */
  private record Held(EncryptionKey key, byte[] stored, long checkedAt) {}

  /** An unwrapped entity key, the stored bytes it came from and when the store last vouched. */
  private record Cached(FieldCipher cipher, byte[] stored, long checkedAt) {}

  /**
   * @param expiryDays as for {@link EncryptionKeys}: rotates the parent subject DEKs; rotation mode
   *     also makes writers use an entity key's latest version
   * @param maxCached how many entity keys are kept unwrapped (at least 1)
   */
  public EntityKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int expiryDays,
      LongSupplier clock,
      int maxCached) {
    this(store, providers, kek, algorithm, expiryDays, clock, maxCached, Long.MAX_VALUE);
  }

  /**
   * As above; an entity key (and a parent DEK) is used for {@code ttlMillis} before the store is
   * asked again whether it still exists unchanged: one store read per entity per period and no KMS
   * call, so a running task stops using a destroyed entity key within that time.
   *
   * @param ttlMillis at least 1; {@link Long#MAX_VALUE} never asks again
   */
  public EntityKeys(
      DekStore store,
      KekProviders providers,
      KekSettings kek,
      DekAlgorithm algorithm,
      int expiryDays,
      LongSupplier clock,
      int maxCached,
      long ttlMillis) {
    if (ttlMillis < 1) {
      throw new IllegalArgumentException(
          "DEK cache time-to-live must be >= 1 ms, got " + ttlMillis);
    }
    this.ttlMillis = ttlMillis;
    this.store = CheckingDekStore.around(store);
    this.kekName = kek.name();
    this.entityKekName = kek.name() + KEK_SUFFIX;
    this.algorithm = algorithm;
    this.rotating = expiryDays > 0;
    this.clock = clock;
    this.parentsForWrite =
        new EncryptionKeys(
            store, providers, kek, PARENT_ALGORITHM, expiryDays, clock, 1_000, ttlMillis);
    this.parentsForRead =
        new DecryptionKeys(store, providers, kek, PARENT_ALGORITHM, 1_000, ttlMillis, clock);
    this.keyBySubject = new BoundedCache<>(maxCached);
    this.cipherByVersion = new BoundedCache<>(maxCached);
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /**
   * The key to encrypt a record of {@code entitySubject} with: its entity key, created under the
   * current DEK of {@code parentSubject} when absent, or its ordinary DEK ({@code
   * ordinaryDek.apply(entitySubject)}) when it has one from before the hierarchy.
   */
  public EncryptionKey forEntity(
      String parentSubject, String entitySubject, Function<String, EncryptionKey> ordinaryDek) {
    Held held = keyBySubject.get(entitySubject);
    if (held != null && fresh(held)) {
      return held.key();
    }
    synchronized (lockFor(entitySubject)) {
      held = keyBySubject.get(entitySubject);
      if (held == null || !fresh(held)) {
        held = loadForWrite(parentSubject, entitySubject, ordinaryDek, held);
        keyBySubject.put(entitySubject, held);
      }
      return held.key();
    }
  }

  private boolean fresh(Held held) {
    long now = clock.getAsLong();
    return now - held.checkedAt() < ttlMillis && !held.key().isExpiredAt(now);
  }

  /**
   * The cipher of version {@code version} of {@code entitySubject}'s entity key, or empty when the
   * store holds no such entity key (the subject's DEKs are then ordinary ones).
   */
  public Optional<FieldCipher> forVersion(String entitySubject, int version) {
    SubjectVersion key = new SubjectVersion(entitySubject, version);
    Cached cached = cipherByVersion.get(key);
    if (cached != null && clock.getAsLong() - cached.checkedAt() < ttlMillis) {
      return Optional.of(cached.cipher());
    }
    if (version < 1) {
      return Optional.empty();
    }
    synchronized (lockFor(entitySubject)) {
      long now = clock.getAsLong();
      cached = cipherByVersion.get(key);
      if (cached != null && now - cached.checkedAt() < ttlMillis) {
        return Optional.of(cached.cipher());
      }
      if (entityKekForRead().isEmpty()) {
        return Optional.empty();
      }
      Optional<RegisteredDek> dek = store.getDek(entityDek(entitySubject), version, true);
      if (dek.isEmpty()) {
        if (cached != null) {
          cipherByVersion.remove(key);
          log.info(
              "Entity key '{}' version {} is no longer in the DEK store (forgotten); stopped"
                  + " decrypting with it",
              entitySubject,
              version);
        }
        return Optional.empty();
      }
      byte[] stored = dek.get().encryptedKeyMaterial();
      FieldCipher cipher =
          cached != null && Arrays.equals(cached.stored(), stored)
              ? cached.cipher()
              : unwrap(dek.get());
      cipherByVersion.put(key, new Cached(cipher, stored, now));
      return Optional.of(cipher);
    }
  }

  /**
   * True when {@code entitySubject} has no entity key version at all, in any algorithm,
   * soft-deleted ones included (or when there is no entities KEK): with no ordinary DEK either, the
   * entity was forgotten.
   */
  public boolean hasNoVersions(String entitySubject) {
    if (entityKekForRead().isEmpty()) {
      return true;
    }
    for (DekAlgorithm each : DekAlgorithm.values()) {
      DekSubject dek = new DekSubject(entityKekName, entitySubject, each);
      if (!store.listDekVersions(dek, true).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** The name of the KEK entity keys are stored under: {@code <kek>-entities}. */
  public String entityKekName() {
    return entityKekName;
  }

  private Held loadForWrite(
      String parentSubject,
      String entitySubject,
      Function<String, EncryptionKey> ordinaryDek,
      Held previous) {
    if (entitySubject.equals(parentSubject)) {
      // Its "older ordinary DEK" would be the parent itself: one entity under every entity's key.
      throw new DekException(
          "Entity subject '"
              + entitySubject
              + "' is the parent DEK's subject; choose a dek.subject or"
              + " dek.entity.parent.subject that cannot render the same subject");
    }
    entityKekForWrite();
    DekSubject dek = entityDek(entitySubject);
    Optional<RegisteredDek> existing =
        rotating ? store.getLatestDek(dek, false) : store.getDek(dek, 1, false);
    long now = clock.getAsLong();
    if (existing.isPresent()) {
      RegisteredDek found = existing.get();
      byte[] stored = found.encryptedKeyMaterial();
      boolean unchanged =
          previous != null
              && previous.stored() != null
              && previous.key().version() == found.version()
              && Arrays.equals(previous.stored(), stored);
      EncryptionKey key = unchanged ? previous.key() : forever(found.version(), unwrap(found));
      return new Held(key, stored, now);
    }
    if (previous != null && previous.stored() != null) {
      log.info(
          "Entity key '{}' is no longer in the DEK store (forgotten); stopped encrypting with it",
          entitySubject);
    }
    if (store.getLatestDek(new DekSubject(kekName, entitySubject, algorithm), true).isPresent()) {
      return new Held(ordinaryDek.apply(entitySubject), null, now);
    }
    return create(parentSubject, entitySubject);
  }

  /** Creates version 1; if another writer created it first (409), the winner's key is used. */
  private Held create(String parentSubject, String entitySubject) {
    byte[] keyProto = KeyMaterial.generate(algorithm);
    DekSubject dek = entityDek(entitySubject);
    try {
      EncryptionKey parent = parentsForWrite.forSubject(parentSubject);
      Binding binding = new Binding(kekName, entitySubject, algorithm, 1);
      byte[] stored =
          EntityKeyWrap.wrap(binding, keyProto, parentSubject, parent.version(), parent.cipher());
      store.createDek(new NewDek(dek, 1, stored));
      log.debug("Created entity key '{}' ({}) under KEK '{}'", entitySubject, algorithm, kekName);
      return new Held(forever(1, FieldCipher.of(algorithm, keyProto)), stored, clock.getAsLong());
    } catch (DekStoreException e) {
      if (e.kind() != DekStoreException.Kind.CONFLICT) {
        throw e;
      }
      RegisteredDek winner =
          store
              .getDek(dek, 1, false)
              .orElseThrow(
                  () ->
                      new DekException(
                          EntityKeyWrap.describe(new Binding(kekName, entitySubject, algorithm, 1))
                              + " exists but is soft-deleted; undelete it in the DEK registry"));
      return new Held(
          forever(winner.version(), unwrap(winner)),
          winner.encryptedKeyMaterial(),
          clock.getAsLong());
    } finally {
      Arrays.fill(keyProto, (byte) 0);
    }
  }

  /** Unwraps a stored entity key with the parent DEK version it names; trusts nothing stored. */
  private FieldCipher unwrap(RegisteredDek dek) {
    Binding binding = new Binding(kekName, dek.subject(), algorithm, dek.version());
    Parsed parsed = EntityKeyWrap.parse(binding, dek.encryptedKeyMaterial());
    FieldCipher parent;
    try {
      parent = parentsForRead.forVersion(parsed.parentSubject(), parsed.parentVersion());
    } catch (MissingDekException e) {
      throw new DekStoreAnswerException(
          "Refused the DEK store's answer for "
              + EntityKeyWrap.describe(binding)
              + ": it names parent DEK '"
              + parsed.parentSubject()
              + "' version "
              + parsed.parentVersion()
              + " of KEK '"
              + kekName
              + "', which does not exist; check the DEK store",
          e);
    }
    byte[] keyProto = EntityKeyWrap.unwrap(binding, parsed, parent);
    try {
      return FieldCipher.of(algorithm, keyProto);
    } catch (CryptoException e) {
      throw new DekStoreAnswerException(
          "Refused the DEK store's answer for "
              + EntityKeyWrap.describe(binding)
              + ": its unwrapped key is not a "
              + algorithm
              + " key proto; check the DEK store",
          e);
    } finally {
      Arrays.fill(keyProto, (byte) 0);
    }
  }

  private RegisteredKek entityKekForWrite() {
    RegisteredKek kek = entityKek;
    if (kek != null) {
      return kek;
    }
    synchronized (this) {
      if (entityKek == null) {
        entityKek = checked(store.getKek(entityKekName, false).orElseGet(this::createEntityKek));
      }
      return entityKek;
    }
  }

  private Optional<RegisteredKek> entityKekForRead() {
    RegisteredKek kek = entityKek;
    if (kek != null) {
      return Optional.of(kek);
    }
    Optional<RegisteredKek> found = store.getKek(entityKekName, true).map(this::checked);
    found.ifPresent(k -> entityKek = k);
    return found;
  }

  private RegisteredKek createEntityKek() {
    NewKek request =
        new NewKek(
            entityKekName,
            KMS_TYPE,
            kekName,
            Map.of(),
            "Entity keys wrapped by subject DEKs of KEK " + kekName,
            false);
    try {
      RegisteredKek created = store.createKek(request);
      log.info("Created KEK '{}' for entity keys in the DEK registry", entityKekName);
      return created;
    } catch (DekStoreException e) {
      if (e.kind() != DekStoreException.Kind.CONFLICT) {
        throw e;
      }
      return store
          .getKek(entityKekName, false)
          .orElseThrow(
              () ->
                  new DekException(
                      "KEK '" + entityKekName + "' exists but is soft-deleted; undelete it"));
    }
  }

  /** The entity KEK must say what it is: anything else may be another client's KEK. */
  private RegisteredKek checked(RegisteredKek kek) {
    if (!KMS_TYPE.equals(kek.kmsType()) || !kekName.equals(kek.kmsKeyId()) || kek.shared()) {
      throw new DekStoreAnswerException(
          "Refused the DEK store's answer for KEK '"
              + entityKekName
              + "': it is registered as "
              + KekResolver.describe(kek)
              + (kek.shared() ? ", shared" : "")
              + ", not as "
              + KMS_TYPE
              + "://"
              + kekName
              + " (entity keys wrapped by subject DEKs of KEK '"
              + kekName
              + "'); check the DEK store, or rename the KEK that holds this name");
    }
    return kek;
  }

  private DekSubject entityDek(String entitySubject) {
    return new DekSubject(entityKekName, entitySubject, algorithm);
  }

  private static EncryptionKey forever(int version, FieldCipher cipher) {
    return new EncryptionKey(version, cipher, Long.MAX_VALUE);
  }

  private Object lockFor(String subject) {
    return locks[Math.floorMod(subject.hashCode(), LOCK_STRIPES)];
  }

  /** Closes the KMS clients of the parent DEKs. */
  @Override
  public void close() {
    parentsForWrite.close();
    parentsForRead.close();
  }
}
