package io.csfle.connect.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class OrderedArrayMapTest {
  /** Keys and values drawn from small pools (with null), so operations hit existing entries. */
  private static final String[] KEYS = {
    null, "a", "b", "c", "d", "e", "f", "g", "h", "id", "email", "Aa", "BB"
  };

  private static final Integer[] VALUES = {null, 0, 1, 2, 3};

  @Test
  void randomOperations_behaveAsOnALinkedHashMap() {
    for (long seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      Map<String, Integer> expected = new LinkedHashMap<>();
      for (int i = random.nextInt(8); i > 0; i--) {
        expected.put(key(random), value(random));
      }
      @SuppressWarnings("unchecked")
      Map<String, Integer> actual =
          (Map<String, Integer>) (Map<?, ?>) OrderedArrayMap.orderedCopy(expected);
      assertThat(actual).isInstanceOf(OrderedArrayMap.class);
      for (int op = 0; op < 100; op++) {
        apply(random, expected, actual, "seed " + seed + " op " + op);
      }
    }
  }

  @Test
  void keysOfOneHash_stayDistinct_andOtherKeyTypesAreFoundByEquals() {
    Map<Object, Object> input = new HashMap<>();
    input.put("Aa", 1); // "Aa" and "BB" share a String hash code
    input.put(new String("BB"), 2);
    input.put(7L, 3);
    input.put(List.of("k"), 4);
    Map<Object, Object> copy = OrderedArrayMap.orderedCopy(input);
    assertThat(copy).isInstanceOf(OrderedArrayMap.class);

    copy.put("BB", 20);
    copy.put(7L, 30);
    copy.put(new ArrayList<>(List.of("k")), 40);

    assertThat(copy).hasSize(4);
    assertThat(copy.get("Aa")).isEqualTo(1);
    assertThat(copy.get("BB")).isEqualTo(20);
    assertThat(copy.get(7L)).isEqualTo(30);
    assertThat(copy.get(7)).isNull();
    assertThat(copy.get(List.of("k"))).isEqualTo(40);
    assertThat(copy.containsKey("AaAa")).isFalse();
  }

  @Test
  void growingPastTheArrayBound_keepsBehavingAsALinkedHashMap() {
    Random random = new Random(42);
    Map<String, Integer> expected = new LinkedHashMap<>();
    Map<String, Integer> actual = new OrderedArrayMap<>();
    for (int i = 0; i < 3 * OrderedArrayMap.MAX_ARRAY_ENTRIES; i++) {
      String key = "k" + random.nextInt(4 * OrderedArrayMap.MAX_ARRAY_ENTRIES);
      assertThat(actual.put(key, i)).isEqualTo(expected.put(key, i));
      if (i % 7 == 0) {
        String gone = "k" + random.nextInt(4 * OrderedArrayMap.MAX_ARRAY_ENTRIES);
        assertThat(actual.remove(gone)).isEqualTo(expected.remove(gone));
      }
      assertSame(expected, actual, "step " + i);
    }
    assertThat(actual.size()).isGreaterThan(OrderedArrayMap.MAX_ARRAY_ENTRIES);
  }

  @Test
  void copy_iteratesInTheInputsOrder() {
    Map<String, Object> input = new LinkedHashMap<>();
    for (String key : List.of("zeta", "alpha", "mu", "beta", "omega", "delta")) {
      input.put(key, key.length());
    }
    Map<Object, Object> copy = OrderedArrayMap.orderedCopy(input);
    copy.put("mu", "replaced");
    copy.put("new", 1);

    assertThat(new ArrayList<>(copy.keySet()))
        .containsExactly("zeta", "alpha", "mu", "beta", "omega", "delta", "new");
    assertThat(copy.get("mu")).isEqualTo("replaced");
    assertThat(input.get("mu")).isEqualTo(2);
  }

  @Test
  void copyOfASortedMap_keepsItsSortedOrder() {
    Map<String, Integer> input = new TreeMap<>(Map.of("c", 3, "a", 1, "b", 2));

    assertThat(new ArrayList<>(OrderedArrayMap.orderedCopy(input).keySet()))
        .containsExactly("a", "b", "c");
  }

  @Test
  void largeOrIdentityInputs_areCopiedIntoALinkedHashMap() {
    Map<String, Integer> large = new HashMap<>();
    for (int i = 0; i <= OrderedArrayMap.MAX_COPIED_ENTRIES; i++) {
      large.put("k" + i, i);
    }
    Map<String, Integer> identity = new IdentityHashMap<>();
    identity.put(new String("a"), 1);
    identity.put(new String("a"), 2);

    assertThat(OrderedArrayMap.orderedCopy(large))
        .isInstanceOf(LinkedHashMap.class)
        .isEqualTo(large);
    assertThat(OrderedArrayMap.orderedCopy(identity)).isInstanceOf(LinkedHashMap.class).hasSize(1);
  }

  @Test
  void mapThatIteratesAKeyTwice_isMergedSoThatAPutLeavesNoOldValue() {
    // A Map of a connector's own whose entries repeat a key: an array copy would keep both, and a
    // rewrite's put would replace only the first (the second's plaintext would stay).
    Map<String, String> repeating =
        new AbstractMap<>() {
          @Override
          public Set<Map.Entry<String, String>> entrySet() {
            return new LinkedHashSet<>(
                List.of(
                    new AbstractMap.SimpleEntry<>("ssn", "111-11-1111"),
                    new AbstractMap.SimpleEntry<>("ssn", "222-22-2222")));
          }
        };

    Map<Object, Object> copy = OrderedArrayMap.orderedCopy(repeating);
    copy.put("ssn", "ciphertext");

    assertThat(copy)
        .isInstanceOf(LinkedHashMap.class)
        .containsExactly(Map.entry("ssn", "ciphertext"));
    assertThat(OrderedArrayMap.orderedCopy(new TreeMap<>(Map.of("a", 1))))
        .isInstanceOf(LinkedHashMap.class);
    assertThat(OrderedArrayMap.orderedCopy(new LinkedHashMap<>(Map.of("a", 1))))
        .isInstanceOf(OrderedArrayMap.class);
  }

  @Test
  void copyAsASchemaMapField_isAcceptedByStructAndCopiedByOthers() {
    Schema schema =
        SchemaBuilder.struct()
            .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA))
            .build();
    Map<String, String> input = new LinkedHashMap<>();
    input.put("b", "2");
    input.put("a", null);
    Map<Object, Object> copy = OrderedArrayMap.orderedCopy(input);

    Struct struct = new Struct(schema).put("attrs", copy);
    struct.validate();

    assertThat(struct).isEqualTo(new Struct(schema).put("attrs", input));
    assertThat(new HashMap<>(copy)).isEqualTo(input);
    assertThat(new ArrayList<>(new LinkedHashMap<>(copy).keySet())).containsExactly("b", "a");
  }

  @Test
  void modificationDuringIteration_failsFast() {
    Map<Object, Object> copy = OrderedArrayMap.orderedCopy(new HashMap<>(Map.of("a", 1, "b", 2)));
    Iterator<Object> keys = copy.keySet().iterator();
    keys.next();
    copy.put("c", 3);

    assertThatThrownBy(keys::next).isInstanceOf(ConcurrentModificationException.class);
  }

  @Test
  void iteratorRemoveTwice_isRefused() {
    Map<Object, Object> copy = OrderedArrayMap.orderedCopy(new HashMap<>(Map.of("a", 1)));
    Iterator<Object> keys = copy.keySet().iterator();
    keys.next();
    keys.remove();

    assertThatThrownBy(keys::remove).isInstanceOf(IllegalStateException.class);
    assertThat(copy).isEmpty();
  }

  @Test
  void entryOfARemovedKey_noLongerWritesThrough() {
    Map<Object, Object> copy = OrderedArrayMap.orderedCopy(new HashMap<>(Map.of("a", 1)));
    Map.Entry<Object, Object> entry = copy.entrySet().iterator().next();
    copy.remove("a");

    assertThat(entry.setValue(5)).isEqualTo(1);
    assertThat(entry.getValue()).isEqualTo(5);
    assertThat(copy).isEmpty();
  }

  private static void apply(
      Random random, Map<String, Integer> expected, Map<String, Integer> actual, String step) {
    String key = key(random);
    Integer value = value(random);
    switch (random.nextInt(12)) {
      case 0, 1, 2 ->
          assertThat(actual.put(key, value)).as(step).isEqualTo(expected.put(key, value));
      case 3 -> assertThat(actual.get(key)).as(step).isEqualTo(expected.get(key));
      case 4 -> assertThat(actual.remove(key)).as(step).isEqualTo(expected.remove(key));
      case 5 -> assertThat(actual.containsKey(key)).as(step).isEqualTo(expected.containsKey(key));
      case 6 ->
          assertThat(actual.containsValue(value)).as(step).isEqualTo(expected.containsValue(value));
      case 7 -> removeWhileIterating(random, expected, actual, step);
      case 8 -> setValuesWhileIterating(random, expected, actual, value, step);
      case 9 -> {
        assertThat(actual.values().remove(value))
            .as(step)
            .isEqualTo(expected.values().remove(value));
        assertThat(actual.keySet().remove(key)).as(step).isEqualTo(expected.keySet().remove(key));
      }
      case 10 -> {
        if (random.nextInt(10) == 0) {
          actual.clear();
          expected.clear();
        } else {
          assertThat(actual.getOrDefault(key, -1))
              .as(step)
              .isEqualTo(expected.getOrDefault(key, -1));
        }
      }
      default -> {
        Map<String, Integer> other = new HashMap<>(expected);
        if (random.nextBoolean() && !other.isEmpty()) {
          other.put(other.keySet().iterator().next(), 99);
        }
        assertThat(actual.equals(other)).as(step).isEqualTo(expected.equals(other));
        assertThat(other.equals(actual)).as(step).isEqualTo(other.equals(expected));
      }
    }
    assertSame(expected, actual, step);
  }

  private static void removeWhileIterating(
      Random random, Map<String, Integer> expected, Map<String, Integer> actual, String step) {
    boolean[] drop = new boolean[expected.size()];
    for (int i = 0; i < drop.length; i++) {
      drop[i] = random.nextInt(3) == 0;
    }
    Iterator<?> left = iterator(random.nextInt(3), expected);
    Iterator<?> right = iterator(random.nextInt(3), actual);
    for (boolean remove : drop) {
      left.next();
      right.next();
      if (remove) {
        left.remove();
        right.remove();
      }
    }
    assertThat(right.hasNext()).as(step).isFalse();
  }

  private static Iterator<?> iterator(int view, Map<String, Integer> map) {
    return switch (view) {
      case 0 -> map.entrySet().iterator();
      case 1 -> map.keySet().iterator();
      default -> map.values().iterator();
    };
  }

  private static void setValuesWhileIterating(
      Random random,
      Map<String, Integer> expected,
      Map<String, Integer> actual,
      Integer value,
      String step) {
    Iterator<Map.Entry<String, Integer>> left = expected.entrySet().iterator();
    Iterator<Map.Entry<String, Integer>> right = actual.entrySet().iterator();
    while (left.hasNext()) {
      Map.Entry<String, Integer> a = left.next();
      Map.Entry<String, Integer> b = right.next();
      assertThat(b).as(step).isEqualTo(a);
      assertThat(b.hashCode()).as(step).isEqualTo(a.hashCode());
      if (random.nextBoolean()) {
        assertThat(b.setValue(value)).as(step).isEqualTo(a.setValue(value));
        assertThat(b.getValue()).as(step).isEqualTo(value);
      }
    }
  }

  private static void assertSame(
      Map<String, Integer> expected, Map<String, Integer> actual, String step) {
    assertThat(actual.size()).as(step).isEqualTo(expected.size());
    assertThat(actual.isEmpty()).as(step).isEqualTo(expected.isEmpty());
    assertThat(new ArrayList<>(actual.entrySet()))
        .as(step)
        .containsExactlyElementsOf(new ArrayList<>(expected.entrySet()));
    assertThat(new ArrayList<>(actual.keySet()))
        .as(step)
        .containsExactlyElementsOf(new ArrayList<>(expected.keySet()));
    assertThat(new ArrayList<>(actual.values()))
        .as(step)
        .containsExactlyElementsOf(new ArrayList<>(expected.values()));
    assertThat(actual.equals(expected)).as(step).isTrue();
    assertThat(expected.equals(actual)).as(step).isTrue();
    assertThat(actual.hashCode()).as(step).isEqualTo(expected.hashCode());
    assertThat(actual.toString()).as(step).isEqualTo(expected.toString());
  }

  private static String key(Random random) {
    return KEYS[random.nextInt(KEYS.length)];
  }

  private static Integer value(Random random) {
    return VALUES[random.nextInt(VALUES.length)];
  }
}
