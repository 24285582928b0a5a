package io.csfle.connect.field;

import static io.csfle.connect.field.Records.rewriter;
import static io.csfle.connect.field.Rewrites.UPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.junit.jupiter.api.Test;

/** Element paths ({@code [*]}) on schemaless records: java.util.Lists and Maps. */
class RecordRewriterSchemalessElementTest {

  private static final FieldRewrite MASK_SECRET =
      FieldRewrite.ofValues((path, value) -> "secret".equals(value) ? "***" : value);

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** A basket as JsonConverter with schemas.enable=false would hand it over. */
  private static Map<String, Object> basket() {
    return map(
        "id", "b-1",
        "tags", List.of("red", "sale"),
        "items", List.of(map("sku", "sku-1", "qty", 1), map("sku", "sku-2", "qty", 2)),
        "orders",
            List.of(
                map("id", "o-1", "lines", List.of(map("sku", "l-1"), map("sku", "l-2"))),
                map("id", "o-2", "lines", List.of(map("sku", "l-3")))),
        "matrix", List.of(List.of("a", "b"), List.of(), List.of("c")),
        "attrs", map("tier", "gold", "lang", "nl"),
        "contacts", map("home", map("email", "ann@home"), "work", map("email", "ann@work")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rewrite(FieldRewrite rewrite, Object input, String... paths) {
    SchemaAndValue result = rewriter(rewrite, paths).rewrite(null, input);
    assertThat(result.schema()).isNull();
    return (Map<String, Object>) result.value();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> listOfMaps(Map<String, Object> map, String key) {
    return (List<Map<String, Object>>) map.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> map, String key) {
    return (Map<String, Object>) map.get(key);
  }

  @Test
  void listOfStrings_everyElementIsRewritten() {
    Map<String, Object> output = rewrite(UPPER, basket(), "tags[*]");

    assertThat(output.get("tags")).isEqualTo(List.of("RED", "SALE"));
    assertThat(output.get("items")).isEqualTo(basket().get("items"));
  }

  @Test
  void listElements_rewriteSeesThePathAndANullSchema() {
    Rewrites.Recording recording = new Rewrites.Recording();

    rewrite(recording, basket(), "tags[*]");

    assertThat(recording.valueCalls).containsExactly("tags[*]=red", "tags[*]=sale");
    assertThat(recording.valueSchemas).containsExactly(null, null);
    assertThat(recording.schemaCalls).hasValue(0);
  }

  @Test
  void listOfMaps_keyOfEveryElementIsRewritten() {
    Map<String, Object> output = rewrite(UPPER, basket(), "items[*].sku");

    assertThat(output.get("items"))
        .isEqualTo(List.of(map("sku", "SKU-1", "qty", 1), map("sku", "SKU-2", "qty", 2)));
  }

  @Test
  void nestedListsOfMaps_everyLineOfEveryOrderIsRewritten() {
    Map<String, Object> output = rewrite(UPPER, basket(), "orders[*].lines[*].sku");

    assertThat(output.get("orders"))
        .isEqualTo(
            List.of(
                map("id", "o-1", "lines", List.of(map("sku", "L-1"), map("sku", "L-2"))),
                map("id", "o-2", "lines", List.of(map("sku", "L-3")))));
  }

  @Test
  void listsOfLists_everyInnerElementIsRewritten() {
    Map<String, Object> output = rewrite(UPPER, basket(), "matrix[*][*]");

    assertThat(output.get("matrix")).isEqualTo(List.of(List.of("A", "B"), List.of(), List.of("C")));
  }

  @Test
  void mapValues_everyValueIsRewrittenAndKeysAndOrderKept() {
    Map<String, Object> output = rewrite(UPPER, basket(), "attrs[*]");

    assertThat(child(output, "attrs"))
        .containsExactly(Map.entry("tier", "GOLD"), Map.entry("lang", "NL"));
  }

  @Test
  void mapOfMaps_keyOfEveryValueIsRewritten() {
    Map<String, Object> output = rewrite(UPPER, basket(), "contacts[*].email");

    assertThat(output.get("contacts"))
        .isEqualTo(map("home", map("email", "ANN@HOME"), "work", map("email", "ANN@WORK")));
  }

  @Test
  void elementStep_takesAMapOrAListWhicheverTheRecordHolds() {
    Map<String, Object> asList = map("tags", List.of("a"));
    Map<String, Object> asMap = map("tags", map("k", "a"));
    BoundRewriter rewriter = rewriter(UPPER, "tags[*]");

    assertThat(rewriter.rewrite(null, asList).value()).isEqualTo(map("tags", List.of("A")));
    assertThat(rewriter.rewrite(null, asMap).value()).isEqualTo(map("tags", map("k", "A")));
  }

  @Test
  void nullElementsAndValues_areLeftAloneWithoutCallingTheRewrite() {
    Rewrites.Recording recording = new Rewrites.Recording();
    Map<String, Object> input =
        map("tags", Arrays.asList("a", null), "attrs", map("x", null, "y", "b"));

    Map<String, Object> output = rewrite(recording, input, "tags[*]", "attrs[*]");

    assertThat(output.get("tags")).isEqualTo(Arrays.asList("A", null));
    assertThat(output.get("attrs")).isEqualTo(map("x", null, "y", "B"));
    assertThat(recording.valueCalls).containsExactly("tags[*]=a", "attrs[*]=b");
  }

  @Test
  void nullListAndNullMap_areLeftAlone() {
    Map<String, Object> input = map("tags", null, "items", null, "attrs", null);

    assertThat(rewrite(UPPER, input, "tags[*]", "items[*].sku", "attrs[*]")).isSameAs(input);
  }

  @Test
  void emptyListAndMap_areReturnedAsTheSameInstances() {
    Map<String, Object> input = map("tags", List.of(), "attrs", Map.of());

    assertThat(rewrite(UPPER, input, "tags[*]", "attrs[*]")).isSameAs(input);
  }

  @Test
  void missingKeys_leaveTheRecordAloneEvenWithFailPolicy() {
    Map<String, Object> input =
        map("items", List.of(map("qty", 1), map("sku", null)), "other", "x");

    assertThat(rewrite(UPPER, input, "items[*].sku", "labels[*]", "tags[*].x")).isSameAs(input);
  }

  @Test
  void unchangedElements_leaveTheRecordAsTheSameInstance() {
    Map<String, Object> input = basket();

    assertThat(
            rewrite(
                MASK_SECRET,
                input,
                "tags[*]",
                "items[*].sku",
                "orders[*].lines[*].sku",
                "attrs[*]"))
        .isSameAs(input);
  }

  @Test
  void oneChangedElement_copiesTheListButSharesTheOtherElements() {
    Map<String, Object> first = map("sku", "sku-1");
    Map<String, Object> input =
        map("items", List.of(first, map("sku", "secret")), "attrs", map("a", "secret"));

    Map<String, Object> output = rewrite(MASK_SECRET, input, "items[*].sku");

    List<Map<String, Object>> items = listOfMaps(output, "items");
    assertThat(items).isInstanceOf(ArrayList.class);
    assertThat(items.get(0)).isSameAs(first);
    assertThat(items.get(1)).isEqualTo(map("sku", "***"));
    assertThat(output.get("attrs")).isSameAs(input.get("attrs"));
  }

  @Test
  void inputListsAndMaps_areNeverMutated() {
    Map<String, Object> input = basket();

    rewrite(
        UPPER,
        input,
        "tags[*]",
        "items[*].sku",
        "orders[*].lines[*].sku",
        "matrix[*][*]",
        "attrs[*]",
        "contacts[*].email");

    assertThat(input).isEqualTo(basket());
  }

  @Test
  void linkedListInput_isRewrittenInOrder() {
    Map<String, Object> input = map("tags", new LinkedList<>(List.of("a", "secret", "c")));

    Map<String, Object> output = rewrite(MASK_SECRET, input, "tags[*]");

    assertThat(output.get("tags")).isEqualTo(List.of("a", "***", "c"));
    assertThat(input.get("tags")).isEqualTo(List.of("a", "secret", "c"));
  }

  @Test
  void rewriteChangingTheJavaType_isAppliedToEveryElement() {
    Map<String, Object> input = map("scores", List.of(1, 2), "counts", map("a", 3));
    FieldRewrite intToString = FieldRewrite.ofValues((path, value) -> "#" + value);

    Map<String, Object> output = rewrite(intToString, input, "scores[*]", "counts[*]");

    assertThat(output).isEqualTo(map("scores", List.of("#1", "#2"), "counts", map("a", "#3")));
  }

  @Test
  void elementStepOnAString_throwsNamingPathAndClass() {
    assertThatThrownBy(() -> rewrite(UPPER, basket(), "id[*]"))
        .isInstanceOfSatisfying(
            FieldPathException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      "Field path 'id[*]' goes through 'id', which holds a java.lang.String,"
                          + " not a List or Map");
              assertThat(e.path()).contains(FieldPath.parse("id[*]"));
            });
  }

  @Test
  void elementThatIsNotAMap_throwsNamingTheElementPrefix() {
    Map<String, Object> input = map("items", List.of(map("sku", "a"), "loose"));

    assertThatThrownBy(() -> rewrite(UPPER, input, "items[*].sku"))
        .isInstanceOf(FieldPathException.class)
        .hasMessage(
            "Field path 'items[*].sku' goes through 'items[*]', which holds a java.lang.String,"
                + " not a Map");
  }

  @Test
  void listStepByName_throwsAsBefore() {
    assertThatThrownBy(() -> rewrite(UPPER, basket(), "items.sku"))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("goes through 'items'")
        .hasMessageContaining("not a Map");
  }

  @Test
  void schemalessRewriter_neverCallsRewriteSchema() {
    Rewrites.Recording recording = new Rewrites.Recording();

    rewrite(recording, basket(), "items[*].sku", "contacts[*].email", "matrix[*][*]");

    assertThat(recording.schemaCalls).hasValue(0);
    assertThat(recording.valueSchemas).hasSize(7).containsOnly((Schema) null);
  }
}
