package io.csfle.connect.store.kafka;

import java.util.Arrays;

/**
 * Where each DEK version of the key topic stands, in primitive arrays: from the entity's 64-bit
 * fingerprint to the partition and offset of its current record (the winner's latest), the winner's
 * claim offset, the fingerprint of the winner's claim id and the soft-delete flag. 36 bytes a slot,
 * open addressing with linear probing, at most 7/8 full: 41 to 82 bytes per DEK version. Not
 * thread-safe.
 */
final class DekIndex {
  private static final int DELETED = 1 << 31;
  private static final int MIN_CAPACITY = 64;

  private long[] hashes = new long[MIN_CAPACITY];
  private long[] recordOffsets = new long[MIN_CAPACITY];
  private long[] claimOffsets = new long[MIN_CAPACITY];
  private long[] claimHashes = new long[MIN_CAPACITY];
  private int[] partitions = new int[MIN_CAPACITY];
  private int size;

  /** The slot holding {@code hash}, or -1. */
  int find(long hash) {
    int mask = hashes.length - 1;
    for (int i = home(hash, mask); hashes[i] != 0; i = (i + 1) & mask) {
      if (hashes[i] == hash) {
        return i;
      }
    }
    return -1;
  }

  /** Inserts or replaces the slot of {@code hash}. */
  void put(
      long hash,
      int partition,
      long recordOffset,
      long claimOffset,
      long claimHash,
      boolean deleted) {
    if ((size + 1) * 8L > hashes.length * 7L) {
      grow();
    }
    int mask = hashes.length - 1;
    int i = home(hash, mask);
    while (hashes[i] != 0 && hashes[i] != hash) {
      i = (i + 1) & mask;
    }
    if (hashes[i] == 0) {
      size++;
    }
    hashes[i] = hash;
    recordOffsets[i] = recordOffset;
    claimOffsets[i] = claimOffset;
    claimHashes[i] = claimHash;
    partitions[i] = deleted ? partition | DELETED : partition;
  }

  /** Removes the slot of {@code hash}, if any, shifting later slots of its run back. */
  void remove(long hash) {
    int slot = find(hash);
    if (slot < 0) {
      return;
    }
    int mask = hashes.length - 1;
    int gap = slot;
    for (int i = (gap + 1) & mask; hashes[i] != 0; i = (i + 1) & mask) {
      int home = home(hashes[i], mask);
      // Move slot i into the gap unless its home lies cyclically in (gap, i].
      boolean homeBetween = gap <= i ? gap < home && home <= i : gap < home || home <= i;
      if (!homeBetween) {
        move(i, gap);
        gap = i;
      }
    }
    hashes[gap] = 0;
    size--;
  }

  int size() {
    return size;
  }

  int partition(int slot) {
    return partitions[slot] & ~DELETED;
  }

  boolean deleted(int slot) {
    return (partitions[slot] & DELETED) != 0;
  }

  long recordOffset(int slot) {
    return recordOffsets[slot];
  }

  long claimOffset(int slot) {
    return claimOffsets[slot];
  }

  long claimHash(int slot) {
    return claimHashes[slot];
  }

  private void move(int from, int to) {
    hashes[to] = hashes[from];
    recordOffsets[to] = recordOffsets[from];
    claimOffsets[to] = claimOffsets[from];
    claimHashes[to] = claimHashes[from];
    partitions[to] = partitions[from];
  }

  private void grow() {
    long[] oldHashes = hashes;
    long[] oldRecordOffsets = recordOffsets;
    long[] oldClaimOffsets = claimOffsets;
    long[] oldClaimHashes = claimHashes;
    int[] oldPartitions = partitions;
    int capacity = oldHashes.length * 2;
    hashes = new long[capacity];
    recordOffsets = new long[capacity];
    claimOffsets = new long[capacity];
    claimHashes = new long[capacity];
    partitions = new int[capacity];
    int mask = capacity - 1;
    for (int j = 0; j < oldHashes.length; j++) {
      if (oldHashes[j] != 0) {
        int i = home(oldHashes[j], mask);
        while (hashes[i] != 0) {
          i = (i + 1) & mask;
        }
        hashes[i] = oldHashes[j];
        recordOffsets[i] = oldRecordOffsets[j];
        claimOffsets[i] = oldClaimOffsets[j];
        claimHashes[i] = oldClaimHashes[j];
        partitions[i] = oldPartitions[j];
      }
    }
    Arrays.fill(oldHashes, 0);
  }

  private static int home(long hash, int mask) {
    return (int) (hash ^ (hash >>> 32)) & mask;
  }
}
