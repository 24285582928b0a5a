package io.csfle.connect.dek;

import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves registered KEKs (creating the writer's KEK when absent) and turns wrapped DEKs into
 * ciphers. Stored KEKs and KMS clients are cached for the life of the resolver, so each is looked
 * up and built once, and closed with the resolver.
 */
final class KekResolver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KekResolver.class);

  /**
   * Why a worker meant to need no KMS is asked for one: a shared KEK's DEK came without its
   * plaintext, so only the KMS can unwrap it. Said before the KMS's own advice (set a secret, fix
   * credentials), which alone reads as if the worker were misconfigured.
   */
  private static final String SHARED_WITHOUT_KEY_MATERIAL =
      " (the KEK is shared, but the DEK store answered without the DEK's keyMaterial, so this"
          + " worker has to unwrap it with the KMS after all: AxonOps returns keyMaterial only when"
          + " the DEK is created, and a store that does not implement shared KEKs never returns"
          + " it; give the worker access to this KMS key, or use a registry that returns"
          + " keyMaterial on reads)";

  private final DekStore store;
  private final KekProviders providers;
  private final KekSettings settings;
  private final Map<String, RegisteredKek> kekByName = new ConcurrentHashMap<>();
  private final Map<String, Kek> kmsClientByName = new ConcurrentHashMap<>();
  private volatile RegisteredKek writerKek;

  KekResolver(DekStore store, KekProviders providers, KekSettings settings) {
    this.store = CheckingDekStore.around(store);
    this.providers = providers;
    this.settings = settings;
  }

  KekSettings settings() {
    return settings;
  }

  /** The writer's KEK: looked up without deleted ones, created when absent (409: re-read). */
  RegisteredKek kekForWrite() {
    RegisteredKek kek = writerKek;
    if (kek == null) {
      synchronized (this) {
        if (writerKek == null) {
          writerKek = checkedAgainstSettings(lookUpOrCreate());
        }
        kek = writerKek;
      }
    }
    return kek;
  }

  /** A KEK for decryption: soft-deleted KEKs still decrypt. */
  RegisteredKek kekForRead(String name) {
    RegisteredKek kek = kekByName.get(name);
    if (kek == null) {
      kek =
          store
              .getKek(name, true)
              .orElseThrow(
                  () -> new DekException("KEK '" + name + "' does not exist in the DEK registry"));
      kekByName.put(name, kek);
    }
    return kek;
  }

  /**
   * Unwraps a DEK's key material through the KMS; the caller must wipe it. A KMS failure keeps its
   * reason (so outages stay retriable) and names the KEK and the DEK.
   */
  byte[] unwrap(RegisteredKek kek, RegisteredDek dek) {
    if (dek.encryptedKeyMaterial() == null || dek.encryptedKeyMaterial().length == 0) {
      throw new DekStoreAnswerException(
          "Refused the DEK store's answer for "
              + DekId.of(dek)
              + ": it has no encryptedKeyMaterial"
              + (kek.shared() ? " and no keyMaterial" : ", which a DEK of a non-shared KEK needs"));
    }
    try {
      return kmsClient(kek).unwrap(dek.encryptedKeyMaterial());
    } catch (KmsException e) {
      throw withContext(
          e,
          "Cannot unwrap "
              + DekId.of(dek)
              + " with "
              + describe(kek)
              + (kek.shared() && dek.keyMaterial() == null ? SHARED_WITHOUT_KEY_MATERIAL : ""));
    }
  }

  /** Version {@code version} of a DEK for reading (soft-deleted ones included), or why not. */
  RegisteredDek dekForRead(DekSubject dek, int version) {
    return findDekForRead(dek, version).orElseThrow(() -> missing(dek, version));
  }

  /** A DEK version for reading (soft-deleted ones included), or empty when it is gone. */
  Optional<RegisteredDek> findDekForRead(DekSubject dek, int version) {
    return store.getDek(dek, version, true);
  }

  /**
   * True when {@code dek}'s subject has no version at all under its KEK, in any algorithm,
   * soft-deleted ones included: a reader configured with the wrong algorithm still finds the
   * subject's versions and fails, rather than taking its data for forgotten.
   */
  boolean hasNoVersions(DekSubject dek) {
    for (DekAlgorithm algorithm : DekAlgorithm.values()) {
      DekSubject other = new DekSubject(dek.kekName(), dek.subject(), algorithm);
      if (!store.listDekVersions(other, true).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  MissingDekException missing(DekSubject dek, int version) {
    return new MissingDekException(
        new DekId(dek, version)
            + " does not exist in the DEK registry (permanently deleted,"
            + " or written under another KEK, subject or algorithm)");
  }

  /** Wraps fresh key material for {@code dek} with a (non-shared) KEK's KMS key. */
  byte[] wrap(RegisteredKek kek, DekId dek, byte[] keyMaterial) {
    try {
      return kmsClient(kek).wrap(keyMaterial);
    } catch (KmsException e) {
      throw withContext(e, "Cannot wrap new " + dek + " with " + describe(kek));
    }
  }

  /**
   * The cipher for a registered DEK (already checked against the request by {@link
   * CheckingDekStore}). A shared KEK's DEK may carry its plaintext {@code keyMaterial}; any other
   * DEK is unwrapped through the KMS, even when the store sent plaintext along: a key the KMS never
   * vouched for is not used.
   */
  FieldCipher cipherFor(RegisteredKek kek, RegisteredDek dek) {
    boolean fromStore = kek.shared() && dek.keyMaterial() != null;
    byte[] keyMaterial = fromStore ? dek.keyMaterial() : unwrap(kek, dek);
    try {
      return FieldCipher.of(dek.algorithm(), keyMaterial);
    } catch (CryptoException e) {
      throw new DekStoreAnswerException(
          "Refused the DEK store's answer for "
              + DekId.of(dek)
              + ": its "
              + (fromStore ? "keyMaterial from the DEK store" : "key material unwrapped by the KMS")
              + " is "
              + keyMaterial.length
              + " bytes, not a "
              + dek.algorithm()
              + " key ("
              + dek.algorithm().keySize()
              + "-byte AES key in a Tink key proto); check the DEK store",
          e);
    } finally {
      if (!fromStore) {
        Arrays.fill(keyMaterial, (byte) 0);
      }
    }
  }

  /** "KEK 'name' (kmsType://kmsKeyId)": ids are not secrets, and say which KMS key to check. */
  static String describe(RegisteredKek kek) {
    return "KEK '" + kek.name() + "' (" + kek.kmsType() + "://" + kek.kmsKeyId() + ")";
  }

  /** The same failure, same reason (so retriability is kept), with what was being done. */
  private static KmsException withContext(KmsException e, String context) {
    return new KmsException(e.reason(), context + ": " + e.getMessage(), e);
  }

  private RegisteredKek lookUpOrCreate() {
    Optional<RegisteredKek> existing = store.getKek(settings.name(), false);
    if (existing.isPresent()) {
      return existing.get();
    }
    if (settings.kmsType() == null || settings.kmsKeyId() == null) {
      throw new DekException(
          "KEK '"
              + settings.name()
              + "' does not exist in the DEK registry; set encrypt.kms.type and"
              + " encrypt.kms.key.id so it can be created");
    }
    NewKek request =
        new NewKek(settings.name(), settings.kmsType(), settings.kmsKeyId(), Map.of(), null, false);
    try {
      RegisteredKek created = store.createKek(request);
      log.info(
          "Created KEK '{}' ({}://{}) in the DEK registry",
          created.name(),
          created.kmsType(),
          created.kmsKeyId());
      return created;
    } catch (DekStoreException e) {
      if (e.kind() != DekStoreException.Kind.CONFLICT) {
        throw e;
      }
      // Another writer created it first, or it exists soft-deleted.
      return store
          .getKek(settings.name(), false)
          .orElseThrow(
              () ->
                  new DekException(
                      "KEK '"
                          + settings.name()
                          + "' exists but is soft-deleted; undelete it in the DEK registry or"
                          + " configure another encrypt.kek.name"));
    }
  }

  private RegisteredKek checkedAgainstSettings(RegisteredKek kek) {
    boolean typeDiffers =
        settings.kmsType() != null && !Objects.equals(settings.kmsType(), kek.kmsType());
    boolean keyDiffers =
        settings.kmsKeyId() != null && !Objects.equals(settings.kmsKeyId(), kek.kmsKeyId());
    if (typeDiffers || keyDiffers) {
      throw new DekException(
          "KEK '"
              + kek.name()
              + "' is registered with "
              + kek.kmsType()
              + "://"
              + kek.kmsKeyId()
              + " but the config says "
              + settings.kmsType()
              + "://"
              + settings.kmsKeyId()
              + "; fix encrypt.kms.type/encrypt.kms.key.id or use another encrypt.kek.name");
    }
    kekByName.put(kek.name(), kek);
    return kek;
  }

  /** Closes the KMS clients built so far; a later use builds them again. */
  @Override
  public void close() {
    for (Kek client : kmsClientByName.values()) {
      client.close();
    }
    kmsClientByName.clear();
  }

  private Kek kmsClient(RegisteredKek kek) {
    Kek client = kmsClientByName.get(kek.name());
    if (client == null) {
      client =
          providers.create(
              kek.kmsType(),
              kek.kmsKeyId(),
              settings.alternateKmsKeyIdsFor(kek.kmsProps()),
              settings.kmsPropertiesFor(kek.kmsProps()));
      kmsClientByName.put(kek.name(), client);
    }
    return client;
  }
}
