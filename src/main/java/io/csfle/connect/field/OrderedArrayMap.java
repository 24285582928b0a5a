package io.csfle.connect.field;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * A mutable Map kept in two parallel arrays, keys and values, in insertion order: the copy of a
 * small schemaless map that a rewrite changes a few values of. Copying a map into it is one pass
 * over the input's entries into two arrays, with no hashing and no node per entry, where a {@link
 * LinkedHashMap} copy allocates a node per entry and a table and hashes every key. Lookups are
 * linear scans with {@code equals}, fast for the few entries of a record.
 *
 * <p>It is an ordinary Map for whoever gets it next (converters, other transforms, {@code
 * Struct.put}): null keys and values, insertion order (a replaced value keeps its place, a new key
 * goes last), views whose iterators remove and whose entries write through, fail-fast iterators,
 * and {@code equals}/{@code hashCode} of any Map. So that a map grown by a later transform never
 * makes linear scans quadratic, past {@link #MAX_ARRAY_ENTRIES} entries it moves its entries into a
 * LinkedHashMap it then delegates to. Not thread-safe, like LinkedHashMap.
 *
 * <p>Its keys are unique by {@code equals} as long as it is built by {@link #orderedCopy} and
 * {@link #put}: {@code append} alone never looks for an equal key.
 */
final class OrderedArrayMap<K, V> extends AbstractMap<K, V> {
  /** The largest input {@link #orderedCopy} copies into arrays; larger ones get a LinkedHashMap. */
  static final int MAX_COPIED_ENTRIES = 32;

  /** Past this many entries, the map delegates to a LinkedHashMap. */
  static final int MAX_ARRAY_ENTRIES = 2 * MAX_COPIED_ENTRIES;

  private Object[] keys;
  private Object[] values;
  private int size;
  private int modCount;
  private LinkedHashMap<K, V> spilled;
  private Set<Map.Entry<K, V>> entrySet;

  private OrderedArrayMap(int capacity) {
    keys = new Object[capacity];
    values = new Object[capacity];
  }

  /** An empty map. */
  OrderedArrayMap() {
    this(4);
  }

  /**
   * A mutable copy of {@code input} that iterates in its order: an OrderedArrayMap for a HashMap
   * (or LinkedHashMap, as converters make them) or an OrderedArrayMap of up to {@link
   * #MAX_COPIED_ENTRIES} entries, else a LinkedHashMap. The arrays keep every entry the input
   * iterates, so only maps known to hold each key once by {@code equals} are copied into them: a
   * copy that kept two equal keys would have only the first rewritten, and the plaintext of the
   * second would leave with the record. Any other Map (an IdentityHashMap, a TreeMap whose
   * comparator disagrees with {@code equals}, a Map of a connector's own) gets a LinkedHashMap,
   * which merges equal keys as every hashing copy does.
   */
  static Map<Object, Object> orderedCopy(Map<?, ?> input) {
    boolean keysUnique = input instanceof HashMap || input instanceof OrderedArrayMap;
    if (!keysUnique || input.size() > MAX_COPIED_ENTRIES) {
      return new LinkedHashMap<>(input);
    }
    OrderedArrayMap<Object, Object> copy = new OrderedArrayMap<>(Math.max(input.size(), 1));
    for (Map.Entry<?, ?> entry : input.entrySet()) {
      copy.append(entry.getKey(), entry.getValue());
    }
    return copy;
  }

  /**
   * Replaces the value at {@code index} in iteration order; for a rewrite that walks the entries of
   * the map it copied, whose order this copy kept. Falls back to {@code put} once spilled.
   */
  void setValueAt(int index, K key, V value) {
    if (spilled != null || index >= size || !Objects.equals(keys[index], key)) {
      put(key, value);
      return;
    }
    values[index] = value;
  }

  @Override
  public int size() {
    return spilled != null ? spilled.size() : size;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public boolean containsKey(Object key) {
    return spilled != null ? spilled.containsKey(key) : indexOf(key) >= 0;
  }

  @Override
  public boolean containsValue(Object value) {
    if (spilled != null) {
      return spilled.containsValue(value);
    }
    for (int i = 0; i < size; i++) {
      if (Objects.equals(values[i], value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    if (spilled != null) {
      return spilled.get(key);
    }
    int index = indexOf(key);
    return index < 0 ? null : (V) values[index];
  }

  @Override
  @SuppressWarnings("unchecked")
  public V put(K key, V value) {
    if (spilled != null) {
      return spilled.put(key, value);
    }
    int index = indexOf(key);
    if (index >= 0) {
      V old = (V) values[index];
      values[index] = value;
      return old;
    }
    if (size == MAX_ARRAY_ENTRIES) {
      spill();
      return spilled.put(key, value);
    }
    append(key, value);
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V remove(Object key) {
    if (spilled != null) {
      return spilled.remove(key);
    }
    int index = indexOf(key);
    if (index < 0) {
      return null;
    }
    V old = (V) values[index];
    removeAt(index);
    return old;
  }

  @Override
  public void clear() {
    if (spilled != null) {
      spilled.clear();
      return;
    }
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
    modCount++;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    Set<Map.Entry<K, V>> entries = entrySet;
    if (entries == null) {
      entries = new EntrySet();
      entrySet = entries;
    }
    return entries;
  }

  @Override
  public int hashCode() {
    if (spilled != null) {
      return spilled.hashCode();
    }
    int hash = 0;
    for (int i = 0; i < size; i++) {
      hash += Objects.hashCode(keys[i]) ^ Objects.hashCode(values[i]);
    }
    return hash;
  }

  private int indexOf(Object key) {
    if (key instanceof String text) {
      // A String caches its hash: comparing it first skips equals on keys of the same length
      // ("email", "phone"), the usual case among a record's field names.
      int hash = text.hashCode();
      for (int i = 0; i < size; i++) {
        Object candidate = keys[i];
        if (candidate == key
            || candidate instanceof String other && other.hashCode() == hash && other.equals(key)) {
          return i;
        }
      }
      return -1;
    }
    for (int i = 0; i < size; i++) {
      if (Objects.equals(keys[i], key)) {
        return i;
      }
    }
    return -1;
  }

  private void append(Object key, Object value) {
    if (size == keys.length) {
      int capacity = Math.max(4, size * 2);
      keys = Arrays.copyOf(keys, capacity);
      values = Arrays.copyOf(values, capacity);
    }
    keys[size] = key;
    values[size] = value;
    size++;
    modCount++;
  }

  private void removeAt(int index) {
    int moved = size - index - 1;
    System.arraycopy(keys, index + 1, keys, index, moved);
    System.arraycopy(values, index + 1, values, index, moved);
    size--;
    keys[size] = null;
    values[size] = null;
    modCount++;
  }

  @SuppressWarnings("unchecked")
  private void spill() {
    LinkedHashMap<K, V> map = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      map.put((K) keys[i], (V) values[i]);
    }
    spilled = map;
    keys = null;
    values = null;
    size = 0;
    modCount++;
  }

  private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
      return spilled != null ? spilled.entrySet().iterator() : new EntryIterator();
    }

    @Override
    public int size() {
      return OrderedArrayMap.this.size();
    }

    @Override
    public void clear() {
      OrderedArrayMap.this.clear();
    }
  }

  private final class EntryIterator implements Iterator<Map.Entry<K, V>> {
    private int next;
    private int last = -1;
    private int expectedModCount = modCount;

    @Override
    public boolean hasNext() {
      return next < size;
    }

    @Override
    public Map.Entry<K, V> next() {
      checkForComodification();
      if (next >= size) {
        throw new NoSuchElementException();
      }
      last = next++;
      return new Entry(last);
    }

    @Override
    public void remove() {
      if (last < 0) {
        throw new IllegalStateException();
      }
      checkForComodification();
      removeAt(last);
      next = last;
      last = -1;
      expectedModCount = modCount;
    }

    private void checkForComodification() {
      if (modCount != expectedModCount) {
        throw new ConcurrentModificationException();
      }
    }
  }

  /**
   * One entry as an iterator returned it: reads and writes through to the map while the map holds
   * its key, else (after its key was removed) only to itself, like a LinkedHashMap entry.
   */
  private final class Entry implements Map.Entry<K, V> {
    private final K key;
    private final int index;
    private V detached;

    @SuppressWarnings("unchecked")
    Entry(int index) {
      this.key = (K) keys[index];
      this.index = index;
      this.detached = (V) values[index];
    }

    @Override
    public K getKey() {
      return key;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getValue() {
      if (spilled != null) {
        return spilled.containsKey(key) ? spilled.get(key) : detached;
      }
      int at = currentIndex();
      return at >= 0 ? (V) values[at] : detached;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V setValue(V value) {
      V old = getValue();
      detached = value;
      if (spilled != null) {
        if (spilled.containsKey(key)) {
          spilled.put(key, value);
        }
      } else {
        int at = currentIndex();
        if (at >= 0) {
          values[at] = value;
        }
      }
      return old;
    }

    private int currentIndex() {
      if (index < size && keys[index] == key) {
        return index;
      }
      return indexOf(key);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Map.Entry<?, ?> entry
          && Objects.equals(key, entry.getKey())
          && Objects.equals(getValue(), entry.getValue());
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(key) ^ Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return key + "=" + getValue();
    }
  }
}
