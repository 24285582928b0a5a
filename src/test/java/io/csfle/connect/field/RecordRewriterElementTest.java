package io.csfle.connect.field;

import static io.csfle.connect.field.Baskets.BASKET;
import static io.csfle.connect.field.Baskets.basket;
import static io.csfle.connect.field.Records.rewriter;
import static io.csfle.connect.field.Rewrites.UPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** Element paths ({@code [*]}) on records with a schema: ARRAY elements and MAP values. */
class RecordRewriterElementTest {

  /** Masks only the value "secret", so tests can tell rewritten elements from shared ones. */
  private static final FieldRewrite MASK_SECRET =
      FieldRewrite.ofValues((path, value) -> "secret".equals(value) ? "***" : value);

  private static SchemaAndValue rewrite(FieldRewrite rewrite, Struct input, String... paths) {
    return rewriter(rewrite, paths).rewrite(input.schema(), input);
  }

  private static Struct rewritten(FieldRewrite rewrite, Struct input, String... paths) {
    return (Struct) rewrite(rewrite, input, paths).value();
  }

  @Test
  void arrayOfStrings_everyElementIsRewrittenAndTheSchemaKept() {
    SchemaAndValue result = rewrite(UPPER, basket(), "tags[*]");

    Struct output = (Struct) result.value();
    assertThat(result.schema()).isSameAs(BASKET);
    assertThat(output.getArray("tags")).containsExactly("RED", "SALE");
    assertThat(output.getArray("items")).isEqualTo(basket().getArray("items"));
    output.validate();
  }

  @Test
  void arrayElements_rewriteSeesThePathAndTheElementSchema() {
    Rewrites.Recording recording = new Rewrites.Recording();

    rewrite(recording, basket(), "tags[*]");

    assertThat(recording.schemaCalls).hasValue(1);
    assertThat(recording.valueCalls).containsExactly("tags[*]=red", "tags[*]=sale");
    assertThat(recording.valueSchemas).containsOnly(Schema.STRING_SCHEMA);
  }

  @Test
  void arrayElementsChangingType_rebuildArraySchemaKeepingItsMetadata() {
    SchemaAndValue result = rewrite(new Rewrites.IntToString(), basket(), "scores[*]");

    Schema scores = result.schema().field("scores").schema();
    assertThat(scores.type()).isEqualTo(Schema.Type.ARRAY);
    assertThat(scores.valueSchema().type()).isEqualTo(Schema.Type.STRING);
    assertThat(scores.name()).isEqualTo("com.acme.Scores");
    assertThat(scores.version()).isEqualTo(2);
    assertThat(scores.doc()).isEqualTo("points per round");
    assertThat(scores.parameters()).isEqualTo(Map.of("unit", "pt"));
    assertThat(scores.isOptional()).isTrue();
    Struct output = (Struct) result.value();
    assertThat(output.schema()).isSameAs(result.schema());
    assertThat(output.getArray("scores")).containsExactly("#1", "#2");
    assertThat(result.schema().field("tags").schema()).isSameAs(BASKET.field("tags").schema());
    output.validate();
  }

  @Test
  void arrayElementsChangingType_schemaIsOneInstanceForAllRecords() {
    Rewrites.IntToString intToString = new Rewrites.IntToString();
    BoundRewriter rewriter = rewriter(intToString, "scores[*]", "matrix[*][*]");

    SchemaAndValue first = rewriter.rewrite(BASKET, basket());
    SchemaAndValue second = rewriter.rewrite(BASKET, basket());

    assertThat(second.schema()).isSameAs(first.schema());
    assertThat(intToString.schemaCalls).hasValue(2);
  }

  @Test
  void arrayOfStructs_subFieldOfEveryElementIsRewritten() {
    SchemaAndValue result = rewrite(UPPER, basket(), "items[*].sku");

    List<Struct> items = ((Struct) result.value()).getArray("items");
    assertThat(result.schema()).isSameAs(BASKET);
    assertThat(items).extracting(item -> item.getString("sku")).containsExactly("SKU-1", "SKU-2");
    assertThat(items).extracting(item -> item.getInt32("qty")).containsExactly(1, 2);
    assertThat(items).allSatisfy(item -> assertThat(item.schema()).isSameAs(Baskets.ITEM));
  }

  @Test
  void arrayOfStructs_subFieldChangingType_rebuildsElementAndArraySchemas() {
    SchemaAndValue result = rewrite(new Rewrites.IntToString(), basket(), "items[*].qty");

    Schema items = result.schema().field("items").schema();
    Schema item = items.valueSchema();
    assertThat(items.isOptional()).isTrue();
    assertThat(item.name()).isEqualTo("com.acme.Item");
    assertThat(item.field("qty").schema().type()).isEqualTo(Schema.Type.STRING);
    assertThat(item.field("sku").schema()).isSameAs(Schema.STRING_SCHEMA);
    Struct output = (Struct) result.value();
    List<Struct> outputItems = output.getArray("items");
    assertThat(outputItems).extracting(i -> i.getString("qty")).containsExactly("#1", "#2");
    assertThat(outputItems).allSatisfy(i -> assertThat(i.schema()).isSameAs(item));
    output.validate();
  }

  @Test
  void nestedArraysOfStructs_everyLineOfEveryOrderIsRewritten() {
    Struct output = rewritten(UPPER, basket(), "orders[*].lines[*].sku");

    List<Struct> orders = output.getArray("orders");
    assertThat(orders).extracting(order -> order.getString("id")).containsExactly("o-1", "o-2");
    assertThat(orders)
        .flatExtracting(order -> order.<Struct>getArray("lines"))
        .extracting(line -> line.getString("sku"))
        .containsExactly("L-1", "L-2", "L-3");
    output.validate();
  }

  @Test
  void arraysOfArrays_everyInnerElementIsRewrittenAndBothSchemasRebuilt() {
    SchemaAndValue result = rewrite(new Rewrites.IntToString(), basket(), "matrix[*][*]");

    Schema matrix = result.schema().field("matrix").schema();
    assertThat(matrix.valueSchema().type()).isEqualTo(Schema.Type.ARRAY);
    assertThat(matrix.valueSchema().valueSchema().type()).isEqualTo(Schema.Type.STRING);
    Struct output = (Struct) result.value();
    assertThat(output.getArray("matrix"))
        .isEqualTo(List.of(List.of("#1", "#2"), List.of(), List.of("#3")));
    output.validate();
  }

  @Test
  void mapValues_everyValueIsRewrittenAndKeysAndOrderKept() {
    SchemaAndValue result = rewrite(UPPER, basket(), "attrs[*]");

    assertThat(result.schema()).isSameAs(BASKET);
    assertThat(((Struct) result.value()).<String, String>getMap("attrs"))
        .containsExactly(Map.entry("tier", "GOLD"), Map.entry("lang", "NL"));
  }

  @Test
  void mapValuesChangingType_rebuildMapSchemaKeepingKeysAndMetadata() {
    SchemaAndValue result = rewrite(new Rewrites.IntToString(), basket(), "counts[*]");

    Schema counts = result.schema().field("counts").schema();
    assertThat(counts.type()).isEqualTo(Schema.Type.MAP);
    assertThat(counts.keySchema()).isSameAs(Schema.STRING_SCHEMA);
    assertThat(counts.valueSchema().type()).isEqualTo(Schema.Type.STRING);
    assertThat(counts.name()).isEqualTo("com.acme.Counts");
    assertThat(counts.version()).isEqualTo(5);
    assertThat(counts.doc()).isEqualTo("stock per warehouse");
    assertThat(counts.parameters()).isEqualTo(Map.of("source", "wms"));
    assertThat(counts.isOptional()).isFalse();
    Struct output = (Struct) result.value();
    assertThat(output.<String, String>getMap("counts"))
        .containsExactly(Map.entry("ams", "#3"), Map.entry("rtm", "#4"));
    output.validate();
  }

  @Test
  void mapOfStructs_subFieldOfEveryValueIsRewrittenAndNullValuesLeftAlone() {
    Rewrites.Recording recording = new Rewrites.Recording();

    Struct output = rewritten(recording, basket(), "contacts[*].email");

    Map<String, Struct> contacts = output.getMap("contacts");
    assertThat(contacts.get("home").getString("email")).isEqualTo("ANN@HOME");
    assertThat(contacts.get("home").getString("name")).isEqualTo("ann");
    assertThat(contacts).containsKey("work").containsEntry("work", null);
    assertThat(recording.valueCalls).containsExactly("contacts[*].email=ann@home");
  }

  @Test
  void mapWithNonStringKeys_valuesAreRewrittenAndKeysUntouched() {
    Struct output = rewritten(UPPER, basket(), "byId[*]");

    assertThat(output.<Integer, String>getMap("byId")).isEqualTo(Map.of(7, "SEVEN"));
  }

  @Test
  void nullElements_areLeftAloneWithoutCallingTheRewrite() {
    Rewrites.Recording recording = new Rewrites.Recording();

    Struct output = rewritten(recording, basket(), "maybeTags[*]");

    assertThat(output.getArray("maybeTags")).containsExactly("A", null, "B");
    assertThat(recording.valueCalls).containsExactly("maybeTags[*]=a", "maybeTags[*]=b");
  }

  @Test
  void nullArrayAndNullMap_areLeftAlone() {
    Rewrites.Recording recording = new Rewrites.Recording();
    Struct input = basket().put("tags", null).put("items", null).put("attrs", null);

    Object output =
        rewriter(recording, "tags[*]", "items[*].sku", "attrs[*]").rewrite(BASKET, input).value();

    assertThat(output).isSameAs(input);
    assertThat(recording.valueCalls).isEmpty();
  }

  @Test
  void nullArrayWithChangedElementSchema_staysNullInTheNewSchema() {
    Struct input = basket().put("scores", null);

    SchemaAndValue result = rewrite(new Rewrites.IntToString(), input, "scores[*]");

    Struct output = (Struct) result.value();
    assertThat(output.schema()).isSameAs(result.schema()).isNotEqualTo(BASKET);
    assertThat(output.get("scores")).isNull();
    output.validate();
  }

  @Test
  void emptyArrayAndMap_areReturnedAsTheSameInstances() {
    Struct input = basket().put("tags", List.of()).put("attrs", Map.of());

    Object output = rewriter(UPPER, "tags[*]", "attrs[*]").rewrite(BASKET, input).value();

    assertThat(output).isSameAs(input);
  }

  @Test
  void unchangedElements_leaveTheRecordAsTheSameInstance() {
    Struct input = basket();

    Object output =
        rewriter(MASK_SECRET, "tags[*]", "items[*].sku", "orders[*].lines[*].sku", "attrs[*]")
            .rewrite(BASKET, input)
            .value();

    assertThat(output).isSameAs(input);
  }

  @Test
  void oneChangedElement_copiesTheListButSharesTheOtherElements() {
    Struct input =
        basket()
            .put("items", List.of(Baskets.item("sku-1", 1), Baskets.item("secret", 2)))
            .put("tags", List.of("red", "secret"));

    Struct output = rewritten(MASK_SECRET, input, "items[*].sku", "tags[*]");

    List<Struct> inItems = input.getArray("items");
    List<Struct> outItems = output.getArray("items");
    assertThat(outItems).isNotSameAs(inItems);
    assertThat(outItems.get(0)).isSameAs(inItems.get(0));
    assertThat(outItems.get(1).getString("sku")).isEqualTo("***");
    assertThat(output.getArray("tags")).containsExactly("red", "***");
    assertThat(output.getArray("orders")).isSameAs(input.getArray("orders"));
  }

  @Test
  void inputArraysMapsAndElements_areNeverMutated() {
    Struct input = basket();

    rewritten(
        UPPER,
        input,
        "tags[*]",
        "maybeTags[*]",
        "items[*].sku",
        "orders[*].lines[*].sku",
        "attrs[*]",
        "contacts[*].email");

    assertThat(input).isEqualTo(basket());
  }

  @Test
  void elementsOfAnUnsetArrayWithDefault_areRewrittenFromTheDefault() {
    Schema schema =
        SchemaBuilder.struct()
            .field("ids", arrayWithDefault(List.of(4, 5)))
            .field("none", arrayWithDefault(List.of()))
            .build();
    Struct input = new Struct(schema);

    SchemaAndValue result = rewrite(new Rewrites.IntToString(), input, "ids[*]", "none[*]");

    Struct output = (Struct) result.value();
    // The rebuilt array schemas drop their (INT32) defaults, so both values must be set.
    assertThat(result.schema().field("ids").schema().defaultValue()).isNull();
    assertThat(result.schema().field("none").schema().defaultValue()).isNull();
    assertThat(output.getWithoutDefault("ids")).isEqualTo(List.of("#4", "#5"));
    assertThat(output.getWithoutDefault("none")).isEqualTo(List.of());
    output.validate();
  }

  @Test
  void valuesOfAnUnsetEmptyMapWithDefault_stayAnExplicitEmptyMap() {
    Schema counts =
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).defaultValue(Map.of()).build();
    Schema schema = SchemaBuilder.struct().field("counts", counts).build();

    SchemaAndValue result = rewrite(new Rewrites.IntToString(), new Struct(schema), "counts[*]");

    Struct output = (Struct) result.value();
    assertThat(result.schema().field("counts").schema().defaultValue()).isNull();
    assertThat(output.getWithoutDefault("counts")).isEqualTo(Map.of());
    output.validate();
  }

  private static Schema arrayWithDefault(List<Integer> defaultValue) {
    return SchemaBuilder.array(Schema.INT32_SCHEMA).defaultValue(defaultValue).build();
  }

  @Test
  void unchangedElementSchema_keepsTheArrayDefault() {
    Schema schema =
        SchemaBuilder.struct()
            .field(
                "tags",
                SchemaBuilder.array(Schema.STRING_SCHEMA).defaultValue(List.of("x")).build())
            .build();

    SchemaAndValue result = rewrite(UPPER, new Struct(schema), "tags[*]");

    assertThat(result.schema()).isSameAs(schema);
    assertThat(((Struct) result.value()).getArray("tags")).containsExactly("X");
  }

  @Test
  void optionalElementsMadeRequired_throwNamingThePath() {
    FieldRewrite requiredString =
        new FieldRewrite() {
          @Override
          public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
            return Schema.STRING_SCHEMA;
          }

          @Override
          public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
            return value;
          }
        };

    assertThatThrownBy(() -> rewrite(requiredString, basket(), "maybeTags[*]"))
        .isInstanceOf(FieldPathException.class)
        .hasMessage("The rewrite would make optional field 'maybeTags[*]' required");
  }

  @Test
  void elementStepOnAString_throwsNamingPathAndType() {
    assertThatThrownBy(() -> rewrite(UPPER, basket(), "id[*]"))
        .isInstanceOfSatisfying(
            FieldPathException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      "Field path 'id[*]' uses [*] on 'id' of type STRING; [*] steps into the"
                          + " elements of an ARRAY or the values of a MAP");
              assertThat(e.path()).contains(FieldPath.parse("id[*]"));
            });
  }

  @Test
  void elementStepOnAStructInsideElements_throwsNamingTheElementPrefix() {
    assertThatThrownBy(() -> rewrite(UPPER, basket(), "orders[*][*]"))
        .isInstanceOf(FieldPathException.class)
        .hasMessageStartingWith("Field path 'orders[*][*]' uses [*] on 'orders[*]' of type STRUCT");
  }

  @Test
  void elementStepOnAStringInsideElements_isRejectedEvenWithSkipPolicy() {
    BoundRewriter rewriter = rewriter(UPPER, MissingFieldPolicy.SKIP, "items[*].sku[*]");

    assertThatThrownBy(() -> rewriter.rewrite(BASKET, basket()))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("uses [*] on 'items[*].sku' of type STRING");
  }

  @Test
  void arrayStepByName_throwsSuggestingTheElementStep() {
    assertThatThrownBy(() -> rewrite(UPPER, basket(), "items.sku"))
        .isInstanceOf(FieldPathException.class)
        .hasMessage(
            "Field path 'items.sku' goes through 'items', an ARRAY, by name; write 'items[*]' to"
                + " step into every element");
  }

  @Test
  void missingFieldBeforeElementStep_failPolicy_throws() {
    assertThatThrownBy(() -> rewrite(UPPER, basket(), "labels[*]"))
        .isInstanceOf(FieldPathException.class)
        .hasMessageStartingWith(
            "Field 'labels' of path 'labels[*]' not found in schema com.acme.Basket");
  }

  @Test
  void missingFieldInsideElements_failPolicy_throwsNamingTheElementPath() {
    assertThatThrownBy(() -> rewrite(UPPER, basket(), "items[*].skew"))
        .isInstanceOf(FieldPathException.class)
        .hasMessage(
            "Field 'items[*].skew' not found in schema com.acme.Item; fields are: sku, qty, note");
  }

  @Test
  void missingFields_skipPolicy_leaveTheRecordAlone() {
    Struct input = basket();

    SchemaAndValue result =
        rewriter(UPPER, MissingFieldPolicy.SKIP, "labels[*]", "items[*].skew", "contacts[*].fax")
            .rewrite(BASKET, input);

    assertThat(result.value()).isSameAs(input);
    assertThat(result.schema()).isSameAs(BASKET);
  }

  @Test
  void elementsNextToNamedPaths_areRewrittenTogether() {
    Struct output = rewritten(UPPER, basket(), "id", "tags[*]", "items[*].sku", "attrs.lang");

    assertThat(output.getString("id")).isEqualTo("B-1");
    assertThat(output.getArray("tags")).containsExactly("RED", "SALE");
    assertThat(output.<String, String>getMap("attrs")).containsEntry("lang", "NL");
    assertThat(output.<String, String>getMap("attrs")).containsEntry("tier", "gold");
  }

  @Test
  void topLevelMapSchema_elementStepIntoAValueMap() {
    Schema valueMap = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build();
    Schema schema = SchemaBuilder.map(Schema.STRING_SCHEMA, valueMap).build();
    Map<String, Object> input = Map.of("a", Map.of("x", "one"), "b", Map.of("y", "two"));

    SchemaAndValue result = rewriter(UPPER, "a[*]").rewrite(schema, input);

    assertThat(result.schema()).isSameAs(schema);
    assertThat(result.value()).isEqualTo(Map.of("a", Map.of("x", "ONE"), "b", Map.of("y", "two")));
  }

  @Test
  void arrayValueThatIsNotAList_throwsNamingPathAndClass() {
    // A Struct checks its values; a Map record is not checked, so a wrong value can reach the plan.
    Schema schema =
        SchemaBuilder.map(Schema.STRING_SCHEMA, SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .build();

    assertThatThrownBy(() -> rewriter(UPPER, "tags[*]").rewrite(schema, Map.of("tags", "red")))
        .isInstanceOf(FieldPathException.class)
        .hasMessage(
            "Field path 'tags[*]' goes through 'tags', which holds a java.lang.String, not a List");
  }
}
