package io.csfle.connect.dek;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KEK rotation for a key operator ("rewrap"): every version of a DEK subject is unwrapped with the
 * KEK and wrapped again, which a KMS does with the key's current version, then stored with {@code
 * ?rewrap=true}. The DEK bytes do not change, so field ciphertext written under them stays valid.
 * Soft-deleted versions are re-wrapped too, since they still decrypt.
 */
public final class DekRewrapper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DekRewrapper.class);

  private final DekStoreAdmin store;
  private final KekResolver keks;

  public DekRewrapper(DekStoreAdmin store, KekProviders providers, KekSettings kek) {
    this.store = CheckingDekStore.aroundAdmin(store);
    this.keks = new KekResolver(this.store, providers, kek);
  }

  /**
   * Re-wraps every version of {@code subject}.
   *
   * @return the versions re-wrapped, ascending
   */
  public List<Integer> rewrap(String subject, DekAlgorithm algorithm) {
    String kekName = keks.settings().name();
    RegisteredKek kek = keks.kekForRead(kekName);
    if (kek.shared()) {
      throw new DekException(
          "KEK '"
              + kekName
              + "' is shared: the DEK registry wraps its DEKs and re-wraps them itself");
    }
    DekSubject dekSubject = new DekSubject(kekName, subject, algorithm);
    List<Integer> versions = store.listDekVersions(dekSubject, true);
    for (int version : versions) {
      RegisteredDek dek = keks.dekForRead(dekSubject, version);
      byte[] keyMaterial = keks.unwrap(kek, dek);
      try {
        store.rewrapDek(
            new NewDek(dekSubject, version, keks.wrap(kek, DekId.of(dek), keyMaterial)));
      } finally {
        Arrays.fill(keyMaterial, (byte) 0);
      }
      log.info("Re-wrapped DEK '{}' version {} under KEK '{}'", subject, version, kekName);
    }
    return versions;
  }

  /** Closes the KMS clients this instance built (connections, channels, threads). */
  @Override
  public void close() {
    keks.close();
  }
}
