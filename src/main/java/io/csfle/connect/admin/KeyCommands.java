package io.csfle.connect.admin;

import io.csfle.connect.config.DekStoreSettings;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.DekRewrapper;
import io.csfle.connect.dek.EncryptionKey;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The commands that make or re-wrap key material with the KEK of {@code encrypt.kek.name}, through
 * the writers' own code ({@link EncryptionKeys}, {@link DekRewrapper}): the configured KMS wraps,
 * and every store answer is checked as a writer checks it.
 */
final class KeyCommands {
  private final DekStoreSettings settings;
  private final DekStoreAdmin store;
  private final AdminOutput output;
  private final LongSupplier clock;

  KeyCommands(
      DekStoreSettings settings, DekStoreAdmin store, AdminOutput output, LongSupplier clock) {
    this.settings = settings;
    this.store = store;
    this.output = output;
    this.clock = clock;
  }

  /**
   * {@code register}: the KEK and the current DEK of {@code subject}, found or created as the first
   * record of a writer with the same settings would. "Created" means absent before this call and
   * present after it.
   */
  void register(String subject, DekAlgorithm algorithm, boolean rotateExpired) {
    KekSettings kek = kekSettings("register");
    DekSubject dekSubject = new DekSubject(kek.name(), subject, algorithm);
    boolean kekExisted = store.getKek(kek.name(), false).isPresent();
    List<Integer> versionsBefore =
        kekExisted ? store.listDekVersions(dekSubject, false) : List.of();
    EncryptionKey key;
    boolean expired;
    try (EncryptionKeys keys =
        new EncryptionKeys(
            store, KekProviders.standard(), kek, algorithm, settings.expiryDays(), clock)) {
      key = keys.register(subject, rotateExpired);
      expired = key.isExpiredAt(clock.getAsLong());
    }
    RegisteredKek registeredKek = store.getKek(kek.name(), false).orElseThrow(() -> vanished(kek));
    RegisteredDek dek =
        store
            .getDek(dekSubject, key.version(), false)
            .orElseThrow(() -> vanished(dekSubject, key.version()));
    boolean dekCreated = !versionsBefore.contains(key.version());
    if (output.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("kek", AdminJson.kek(registeredKek));
      json.put("kekCreated", !kekExisted);
      json.put("dek", AdminJson.dek(dek));
      json.put("dekCreated", dekCreated);
      json.put("expired", expired);
      output.document(json);
      return;
    }
    output.line((kekExisted ? "Found " : "Created ") + AdminText.kek(registeredKek));
    output.line(
        (dekCreated ? "Created " : "Found ")
            + AdminText.dek(dek)
            + (dekCreated ? "" : ", created " + Instant.ofEpochMilli(dek.ts()))
            + (expired
                ? "; expired: writers create the next version on their next record"
                    + " (--rotate-expired creates it now)"
                : ""));
  }

  /** {@code rewrap}: every version of {@code subject} wrapped again by the KEK's current key. */
  void rewrap(String subject, DekAlgorithm algorithm) {
    KekSettings kek = kekSettings("rewrap");
    try (DekRewrapper rewrapper = new DekRewrapper(store, KekProviders.standard(), kek)) {
      List<Integer> versions = rewrapper.rewrap(subject, algorithm);
      if (output.json()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kekName", kek.name());
        json.put("subject", subject);
        json.put("algorithm", algorithm.name());
        json.put("versions", versions);
        output.document(json);
        return;
      }
      output.line(
          "Re-wrapped DEK '"
              + subject
              + "' versions "
              + versions
              + " under KEK '"
              + kek.name()
              + "'");
    }
  }

  private KekSettings kekSettings(String command) {
    return settings
        .kek()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    command + " needs encrypt.kek.name (and its kms.* credentials)"));
  }

  private static IllegalStateException vanished(KekSettings kek) {
    return new IllegalStateException(
        "KEK '" + kek.name() + "' was deleted by someone else while it was being registered");
  }

  private static IllegalStateException vanished(DekSubject dek, int version) {
    return new IllegalStateException(
        dek + " version " + version + " was deleted by someone else while it was being registered");
  }
}
