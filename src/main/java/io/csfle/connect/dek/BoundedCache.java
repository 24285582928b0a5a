package io.csfle.connect.dek;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A map of at most {@code capacity} entries for the per-record hot path: a read takes no lock (one
 * {@link ConcurrentHashMap} lookup, plus one flag write the first time an entry is read after the
 * eviction sweep last passed it), so threads reading cached keys never wait for each other. Inserts
 * are rare (a cache miss costs a store and KMS round trip anyway) and take a lock; at the bound
 * they evict by CLOCK ("second chance"), an approximation of least-recently-used: the sweep goes
 * round the entries in insertion order, spares (and unmarks) an entry read since it last passed,
 * and evicts the first one that was not.
 *
 * <p>Why not an access-ordered {@code LinkedHashMap} (Kafka's {@code LRUCache}) behind a lock: its
 * {@code get} reorders a linked list, so every read of every record would take one lock shared by
 * all threads of the instance, and exact recency buys nothing here.
 */
final class BoundedCache<K, V> {
  private final int capacity;
  private final ConcurrentHashMap<K, Slot<V>> slots;

  /** The keys in {@link #slots}, in sweep order; guarded by {@code this}. */
  private final ArrayDeque<K> sweep = new ArrayDeque<>();

  BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cache capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.slots = new ConcurrentHashMap<>(Math.min(capacity, 1024));
  }

  /** The cached value, or null. Lock-free. */
  V get(K key) {
    Slot<V> slot = slots.get(key);
    if (slot == null) {
      return null;
    }
    if (!slot.used) {
      slot.used = true; // written once per sweep, not per read: no cache-line churn when hot
    }
    return slot.value;
  }

  /** Adds or replaces {@code key}'s value, evicting one entry first when full. */
  synchronized void put(K key, V value) {
    if (slots.containsKey(key)) {
      slots.put(key, new Slot<>(value, true));
      return;
    }
    while (slots.size() >= capacity) {
      evictOne();
    }
    slots.put(key, new Slot<>(value, false));
    sweep.addLast(key);
  }

  /** Drops {@code key}'s value, if any. */
  synchronized void remove(K key) {
    if (slots.remove(key) != null) {
      sweep.remove(key);
    }
  }

  int size() {
    return slots.size();
  }

  int capacity() {
    return capacity;
  }

  /** Ends within two rounds: the first unmarks every entry it spares. */
  private void evictOne() {
    while (true) {
      K candidate = sweep.pollFirst();
      Slot<V> slot = slots.get(candidate);
      if (slot.used) {
        slot.used = false;
        sweep.addLast(candidate);
      } else {
        slots.remove(candidate);
        return;
      }
    }
  }

  private static final class Slot<V> {
    final V value;
    volatile boolean used;

    Slot(V value, boolean used) {
      this.value = value;
      this.used = used;
    }
  }
}
