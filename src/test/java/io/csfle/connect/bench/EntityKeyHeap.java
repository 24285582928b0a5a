package io.csfle.connect.bench;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.dek.EntityKeys;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.local.LocalKekProvider;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;

/**
 * Heap per cached entity key: a store is filled with {@code keys} entity keys, then a fresh {@link
 * EntityKeys} (as a transform instance holds) looks each one up, and the used heap after GC is
 * compared before and after. The writer's cache ({@code EncryptField}: key, stored bytes, subject)
 * and the reader's ({@code DecryptField}: cipher per subject and version) are measured in turn.
 */
final class EntityKeyHeap {
  /** Bytes retained by the writer's and then the reader's cache of {@code keys} entity keys. */
  record Retained(long writerBytes, long readerBytes) {}

  private static final String PARENT = "customers-entities";

  private EntityKeyHeap() {}

  static Retained measure(DekAlgorithm algorithm, int keys, KekSettings kek) {
    KekProviders providers = KekProviders.of(new LocalKekProvider(name -> null));
    MapDekStore store = new MapDekStore();
    try (EncryptionKeys ordinary =
            new EncryptionKeys(store, providers, kek, algorithm, 0, System::currentTimeMillis);
        EntityKeys filler =
            new EntityKeys(store, providers, kek, algorithm, 0, System::currentTimeMillis, 1)) {
      // On a thread of its own: the ciphers it drops leave per-thread values behind, which would
      // be freed during the measured fill and hide what the cache holds.
      Thread fill =
          new Thread(
              () -> {
                for (int i = 0; i < keys; i++) {
                  filler.forEntity(PARENT, "customer-" + i, ordinary::forSubject);
                }
              },
              "entity-key-fill");
      fill.start();
      try {
        fill.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      long before = usedAfterGc();
      EntityKeys cached =
          new EntityKeys(store, providers, kek, algorithm, 0, System::currentTimeMillis, keys);
      for (int i = 0; i < keys; i++) {
        cached.forEntity(PARENT, "customer-" + i, ordinary::forSubject);
      }
      long writer = usedAfterGc();
      for (int i = 0; i < keys; i++) {
        cached.forVersion("customer-" + i, 1).orElseThrow();
      }
      long reader = usedAfterGc();
      Reference.reachabilityFence(cached);
      cached.close();
      return new Retained(writer - before, reader - writer);
    }
  }

  /**
   * Used heap after full collections, repeated until it settles: objects whose cleanup runs on a
   * reference-handler thread (cipher keys among them) are freed only by a later collection.
   */
  static long usedAfterGc() {
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 64 * 1024) {
        return used;
      }
      previous = used;
    }
    return previous;
  }
}
