package io.csfle.connect.store.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.RegisteredDek;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures what the key topic reader keeps in memory per DEK: loads {@code footprint.keys}
 * synthetic entity-key records (the size of an entity-key record: a 60-byte wrapped key) into a
 * {@link KeyTopicState} the way the reader does (JSON bytes parsed, then applied) and reports the
 * heap retained after GC. Runs only when asked, e.g. {@code -Dfootprint.keys=1000000}.
 */
@EnabledIfSystemProperty(named = "footprint.keys", matches = "\\d+")
class KeyTopicFootprintTest {

  @Test
  void loadingSyntheticEntityKeys_reportsHeapPerKey() {
    int keys = Integer.getInteger("footprint.keys");
    long before = usedAfterGc();
    long started = System.nanoTime();
    KeyTopicState state = new KeyTopicState(new SyntheticRecords(), CACHE);
    for (int i = 0; i < keys; i++) {
      KeyTopicRecords.Parsed record = SyntheticRecords.parsed(i);
      state.apply(record.key(), record.value(), 0, i);
    }
    long loadedNanos = System.nanoTime() - started;
    long after = usedAfterGc();

    assertThat(state.size()).isEqualTo(keys);
    System.out.printf(
        "footprint: %,d keys, %,d bytes retained, %.1f bytes per key, loaded in %,d ms%n",
        keys, after - before, (after - before) / (double) keys, loadedNanos / 1_000_000);

    int lookups = Math.min(keys, 2 * CACHE);
    started = System.nanoTime();
    for (int n = 0; n < lookups; n++) {
      int i = (int) ((n * 2_654_435_761L) % keys);
      assertThat(state.entry(keyOf(i).entity())).isPresent();
    }
    long lookupNanos = System.nanoTime() - started;
    long withCache = usedAfterGc();
    assertThat(state.cachedEntries()).isLessThanOrEqualTo(CACHE);
    System.out.printf(
        "footprint: %,d first-sight lookups, %.1f us each (index + read back + parse); cache of"
            + " %,d entries adds %,d bytes%n",
        lookups, lookupNanos / 1000.0 / lookups, state.cachedEntries(), withCache - after);
  }

  private static final int CACHE = 10_000;

  /** A topic of one partition whose record at offset i is entity key i, made on demand. */
  private static final class SyntheticRecords implements KeyTopicRecords {
    static Parsed parsed(int i) {
      RecordKey key = KeyTopicJson.readKey(KeyTopicJson.keyBytes(keyOf(i)));
      return new Parsed(key, KeyTopicJson.readValue(key.entity(), valueBytes(i)), 0, i);
    }

    @Override
    public java.util.Optional<Parsed> readAt(int partition, long offset) {
      return java.util.Optional.of(parsed((int) offset));
    }

    @Override
    public void scan(Visitor visitor) {
      throw new UnsupportedOperationException("not measured");
    }
  }

  static RecordKey keyOf(int i) {
    return new RecordKey(
        EntityId.dek("orders.entities", "orders/customer-" + i, DekAlgorithm.AES256_GCM, 1),
        "0b5e2c4e-4f7a-4c1e-9d3a-" + String.format("%012d", i));
  }

  static byte[] valueBytes(int i) {
    byte[] wrapped = new byte[60];
    for (int b = 0; b < wrapped.length; b++) {
      wrapped[b] = (byte) (i * 31 + b);
    }
    EntityId id = keyOf(i).entity();
    return KeyTopicJson.valueBytes(
        StoredEntity.claimOf(
            new RegisteredDek(
                id.kekName(),
                id.subject(),
                1,
                id.algorithm(),
                wrapped,
                null,
                1_765_000_000_000L,
                false)));
  }

  private static long usedAfterGc() {
    List<Object> ignored = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      System.gc();
      ignored.clear();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
