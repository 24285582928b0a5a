package io.csfle.connect.codec;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Guards the decoding of one MAP against keys crafted to share a hash code. A Java hash map finds a
 * key among others of the same hash code in logarithmic time only when they are all of one type
 * that orders itself (String, Long, ...); lists, structs, byte arrays, or keys of mixed types are
 * compared one by one, so n such keys cost n² comparisons: a 1 MB payload of 80,000 colliding list
 * keys took minutes. Keys of one hash code beyond {@link #MAX_PER_HASH} are admitted only while
 * they all are of one such type; real data never comes near the limit otherwise.
 */
final class KeyHashes {
  /** Keys of one hash code that may be compared one by one: a bounded, small cost per key. */
  static final int MAX_PER_HASH = 64;

  /**
   * Types whose instances a hash map orders among themselves with a {@code compareTo} consistent
   * with {@code equals}. BigDecimal is left out: 1.0 and 1.00 compare equal but are not equal.
   */
  private static final Set<Class<?>> SELF_ORDERED =
      Set.of(
          String.class,
          Boolean.class,
          Byte.class,
          Short.class,
          Integer.class,
          Long.class,
          Float.class,
          Double.class,
          java.util.Date.class);

  private final Map<Integer, Bin> bins = new HashMap<>();

  /** Counts the key; false when its hash code now has too many keys a hash map cannot order. */
  boolean admit(Object key) {
    Class<?> type = key == null ? null : key.getClass();
    Bin bin = bins.computeIfAbsent(key == null ? 0 : key.hashCode(), h -> new Bin(type));
    bin.count++;
    bin.ordered &= type != null && type == bin.type && SELF_ORDERED.contains(type);
    return bin.ordered || bin.count <= MAX_PER_HASH;
  }

  private static final class Bin {
    final Class<?> type;
    int count;
    boolean ordered = true;

    Bin(Class<?> type) {
      this.type = type;
    }
  }
}
