package io.csfle.connect.field;

import static io.csfle.connect.field.Records.rewriter;
import static io.csfle.connect.field.Rewrites.UPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.junit.jupiter.api.Test;

/** The walker on schemaless records: nested java.util.Maps. */
class RecordRewriterSchemalessTest {

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Map<String, Object> order() {
    return map(
        "orderId", "o-1",
        "customer",
            map(
                "email", "ann@example.com",
                "phone", "+31 6",
                "address", map("street", "main st", "zip", "1234ab")),
        "note", "leave at door");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> rewrite(BoundRewriter rewriter, Object value) {
    SchemaAndValue result = rewriter.rewrite(null, value);
    assertThat(result.schema()).isNull();
    return (Map<String, Object>) result.value();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> map, String key) {
    return (Map<String, Object>) map.get(key);
  }

  @Test
  void flatKey_rewritesOnlyThatValue() {
    Map<String, Object> expected = order();
    expected.put("note", "LEAVE AT DOOR");

    assertThat(rewrite(rewriter(UPPER, "note"), order())).isEqualTo(expected);
  }

  @Test
  void nestedKeys_rewriteOnlyThoseValues() {
    Map<String, Object> output =
        rewrite(rewriter(UPPER, "customer.email", "customer.address.zip"), order());

    Map<String, Object> expected = order();
    child(expected, "customer").put("email", "ANN@EXAMPLE.COM");
    child(child(expected, "customer"), "address").put("zip", "1234AB");
    assertThat(output).isEqualTo(expected);
  }

  @Test
  void rewrite_receivesNullSchema() {
    Rewrites.Recording recording = new Rewrites.Recording();

    rewrite(rewriter(recording, "customer.email"), order());

    assertThat(recording.valueCalls).containsExactly("customer.email=ann@example.com");
    assertThat(recording.valueSchemas).containsExactly((Schema) null);
    assertThat(recording.schemaCalls).hasValue(0);
  }

  @Test
  void copies_keepKeyOrder() {
    Map<String, Object> output = rewrite(rewriter(UPPER, "customer.email"), order());

    assertThat(output.keySet()).containsExactly("orderId", "customer", "note");
    assertThat(child(output, "customer").keySet()).containsExactly("email", "phone", "address");
  }

  @Test
  void inputMaps_areNeverMutated() {
    Map<String, Object> input = order();

    Map<String, Object> output =
        rewrite(rewriter(UPPER, "note", "customer.email", "customer.address.zip"), input);

    assertThat(output).isNotEqualTo(order());
    assertThat(input).isEqualTo(order());
  }

  @Test
  void immutableInputMaps_areRewrittenByCopying() {
    Map<String, Object> input = Map.of("customer", Map.of("email", "ann", "id", 7));

    Map<String, Object> output = rewrite(rewriter(UPPER, "customer.email"), input);

    assertThat(output).isEqualTo(Map.of("customer", Map.of("email", "ANN", "id", 7)));
  }

  @Test
  void untouchedNestedMaps_areSharedNotCopied() {
    Map<String, Object> input = order();

    Map<String, Object> output = rewrite(rewriter(UPPER, "customer.email"), input);

    assertThat(child(output, "customer")).isNotSameAs(child(input, "customer"));
    assertThat(child(child(output, "customer"), "address"))
        .isSameAs(child(child(input, "customer"), "address"));
  }

  @Test
  void missingKey_leavesRecordAloneEvenWithFailPolicy() {
    Map<String, Object> input = order();

    Map<String, Object> output =
        rewrite(rewriter(UPPER, MissingFieldPolicy.FAIL, "customer.emial", "buyer.email"), input);

    assertThat(output).isSameAs(input);
  }

  @Test
  void missingKeyNextToPresentOne_rewritesThePresentOne() {
    Map<String, Object> output =
        rewrite(rewriter(UPPER, "customer.fax", "customer.email"), order());

    assertThat(child(output, "customer")).containsEntry("email", "ANN@EXAMPLE.COM");
    assertThat(child(output, "customer")).doesNotContainKey("fax");
  }

  @Test
  void nullValue_isLeftAloneWithoutCallingTheRewrite() {
    Rewrites.Recording recording = new Rewrites.Recording();
    Map<String, Object> input = order();
    input.put("note", null);

    Map<String, Object> output = rewrite(rewriter(recording, "note"), input);

    assertThat(output).isSameAs(input);
    assertThat(recording.valueCalls).isEmpty();
  }

  @Test
  void nullParent_isLeftAlone() {
    Map<String, Object> input = order();
    child(input, "customer").put("address", null);

    assertThat(rewrite(rewriter(UPPER, "customer.address.zip"), input)).isSameAs(input);
  }

  @Test
  void pathThroughNonMap_throwsNamingPathAndType() {
    BoundRewriter rewriter = rewriter(UPPER, MissingFieldPolicy.SKIP, "customer.email.domain");

    assertThatThrownBy(() -> rewriter.rewrite(null, order()))
        .isInstanceOfSatisfying(
            FieldPathException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      "Field path 'customer.email.domain' goes through 'customer.email',"
                          + " which holds a java.lang.String, not a Map");
              assertThat(e.path()).contains(FieldPath.parse("customer.email.domain"));
            });
  }

  @Test
  void pathThroughList_throws() {
    Map<String, Object> input = map("items", List.of(map("sku", "a")));

    assertThatThrownBy(() -> rewriter(UPPER, "items.sku").rewrite(null, input))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("goes through 'items'")
        .hasMessageContaining("not a Map");
  }

  @Test
  void nonStringValue_isHandedToTheRewriteAsIs() {
    Map<String, Object> input = map("n", 41, "list", List.of(1, 2));
    BoundRewriter rewriter =
        rewriter(
            FieldRewrite.ofValues((path, value) -> value instanceof Integer ? 42 : List.of()),
            "n",
            "list");

    assertThat(rewrite(rewriter, input)).isEqualTo(map("n", 42, "list", List.of()));
  }

  @Test
  void escapedDotInPath_matchesKeyContainingADot() {
    Map<String, Object> input = map("user.email", "ann", "user", map("email", "bob"));

    Map<String, Object> output = rewrite(rewriter(UPPER, "user\\.email"), input);

    assertThat(output).isEqualTo(map("user.email", "ANN", "user", map("email", "bob")));
  }

  @Test
  void tombstone_isReturnedUnchanged() {
    SchemaAndValue result = rewriter(UPPER, "note").rewrite(null, null);

    assertThat(result.schema()).isNull();
    assertThat(result.value()).isNull();
  }

  @Test
  void nonMapTopLevelValue_throws() {
    assertThatThrownBy(() -> rewriter(UPPER, "note").rewrite(null, "just text"))
        .isInstanceOf(FieldPathException.class)
        .hasMessage(
            "A Struct or Map value is needed to rewrite fields [note], got java.lang.String");
  }

  @Test
  void mapWithNonStringKeys_missesStringPathsQuietly() {
    Map<Object, Object> input = new HashMap<>();
    input.put(1, "one");

    assertThat(rewriter(UPPER, "1").rewrite(null, input).value()).isSameAs(input);
  }
}
