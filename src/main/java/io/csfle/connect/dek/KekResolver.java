package io.csfle.connect.dek;

import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.registry.DekRegistry;
import io.csfle.connect.registry.NewKek;
import io.csfle.connect.registry.RegisteredDek;
import io.csfle.connect.registry.RegisteredKek;
import io.csfle.connect.registry.RegistryException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves registered KEKs (creating the writer's KEK when absent) and turns wrapped DEKs into
 * ciphers. Registry KEKs and KMS clients are cached for the life of the resolver, so each is looked
 * up and built once, and closed with the resolver.
 */
final class KekResolver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KekResolver.class);

  private final DekRegistry registry;
  private final KekProviders providers;
  private final KekSettings settings;
  private final Map<String, RegisteredKek> kekByName = new ConcurrentHashMap<>();
  private final Map<String, Kek> kmsClientByName = new ConcurrentHashMap<>();
  private volatile RegisteredKek writerKek;

  KekResolver(DekRegistry registry, KekProviders providers, KekSettings settings) {
    this.registry = registry;
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
          registry
              .getKek(name, true)
              .orElseThrow(
                  () -> new DekException("KEK '" + name + "' does not exist in the DEK registry"));
      kekByName.put(name, kek);
    }
    return kek;
  }

  /** Unwraps a non-shared DEK's key material through the KMS; the caller must wipe it. */
  byte[] unwrap(RegisteredKek kek, RegisteredDek dek) {
    if (dek.encryptedKeyMaterial() == null) {
      throw new DekException(
          "DEK "
              + describe(dek)
              + " has no encryptedKeyMaterial (for a shared KEK the registry must return"
              + " keyMaterial)");
    }
    return kmsClient(kek).unwrap(dek.encryptedKeyMaterial());
  }

  /** Version {@code version} of a DEK for reading (soft-deleted ones included), or why not. */
  RegisteredDek dekForRead(String subject, int version, DekAlgorithm algorithm) {
    String kekName = settings.name();
    return registry
        .getDek(kekName, subject, version, algorithm, true)
        .orElseThrow(
            () ->
                new MissingDekException(
                    "DEK '"
                        + subject
                        + "' version "
                        + version
                        + " ("
                        + algorithm
                        + ") of KEK '"
                        + kekName
                        + "' does not exist in the DEK registry (permanently deleted,"
                        + " or written under another KEK, subject or algorithm)"));
  }

  /** Wraps fresh key material with a (non-shared) KEK's KMS key. */
  byte[] wrap(RegisteredKek kek, byte[] keyMaterial) {
    return kmsClient(kek).wrap(keyMaterial);
  }

  /**
   * The cipher for a registered DEK: a shared KEK's DEK may carry its plaintext {@code
   * keyMaterial}; otherwise the wrapped material is unwrapped through the KMS.
   */
  FieldCipher cipherFor(RegisteredKek kek, RegisteredDek dek) {
    byte[] keyMaterial = dek.keyMaterial() != null ? dek.keyMaterial() : unwrap(kek, dek);
    try {
      return FieldCipher.of(dek.algorithm(), keyMaterial);
    } catch (CryptoException e) {
      throw new DekException("DEK " + describe(dek) + " holds unusable key material", e);
    } finally {
      if (keyMaterial != dek.keyMaterial()) {
        Arrays.fill(keyMaterial, (byte) 0);
      }
    }
  }

  static String describe(RegisteredDek dek) {
    return "'"
        + dek.subject()
        + "' version "
        + dek.version()
        + " ("
        + dek.algorithm()
        + ") of KEK '"
        + dek.kekName()
        + "'";
  }

  private RegisteredKek lookUpOrCreate() {
    Optional<RegisteredKek> existing = registry.getKek(settings.name(), false);
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
      RegisteredKek created = registry.createKek(request);
      log.info(
          "Created KEK '{}' ({}://{}) in the DEK registry",
          created.name(),
          created.kmsType(),
          created.kmsKeyId());
      return created;
    } catch (RegistryException e) {
      if (e.kind() != RegistryException.Kind.CONFLICT) {
        throw e;
      }
      // Another writer created it first, or it exists soft-deleted.
      return registry
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
      Map<String, String> properties = new HashMap<>(kek.kmsProps());
      properties.putAll(settings.kmsCredentials());
      client =
          providers.create(
              kek.kmsType(), kek.kmsKeyId(), settings.alternateKmsKeyIds(), properties);
      kmsClientByName.put(kek.name(), client);
    }
    return client;
  }
}
