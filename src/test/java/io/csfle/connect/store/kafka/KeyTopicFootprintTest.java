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
    KeyTopicState state = new KeyTopicState();
    for (int i = 0; i < keys; i++) {
      RecordKey key = KeyTopicJson.readKey(KeyTopicJson.keyBytes(keyOf(i)));
      state.apply(key, KeyTopicJson.readValue(key.entity(), valueBytes(i)), i);
    }
    long loadedNanos = System.nanoTime() - started;
    long after = usedAfterGc();

    assertThat(state.size()).isEqualTo(keys);
    System.out.printf(
        "footprint: %,d keys, %,d bytes retained, %.1f bytes per key, loaded in %,d ms%n",
        keys, after - before, (after - before) / (double) keys, loadedNanos / 1_000_000);
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
