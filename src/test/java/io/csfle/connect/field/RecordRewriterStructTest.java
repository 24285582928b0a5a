package io.csfle.connect.field;

import static io.csfle.connect.field.Records.ORDER;
import static io.csfle.connect.field.Records.order;
import static io.csfle.connect.field.Records.rewriter;
import static io.csfle.connect.field.Rewrites.UPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** The walker on records with a schema: which values it rewrites, copies or leaves alone. */
class RecordRewriterStructTest {

  private static Struct rewrite(BoundRewriter rewriter, Struct value) {
    SchemaAndValue result = rewriter.rewrite(value.schema(), value);
    return (Struct) result.value();
  }

  @Test
  void flatPath_rewritesOnlyThatField() {
    Struct input = order();

    Struct output = rewrite(rewriter(UPPER, "note"), input);

    Struct expected = order().put("note", "LEAVE AT DOOR");
    assertThat(output).isEqualTo(expected);
  }

  @Test
  void nestedStructPath_rewritesOnlyThatField() {
    Struct output = rewrite(rewriter(UPPER, "customer.email"), order());

    Struct expected = order();
    expected.getStruct("customer").put("email", "ANN@EXAMPLE.COM");
    assertThat(output).isEqualTo(expected);
  }

  @Test
  void twoLevelsDeep_rewritesOnlyThatField() {
    Struct output = rewrite(rewriter(UPPER, "customer.address.zip"), order());

    assertThat(output.getStruct("customer").getStruct("address").getString("zip"))
        .isEqualTo("1234AB");
    assertThat(output.getStruct("customer").getStruct("address").getString("street"))
        .isEqualTo("main st");
    assertThat(output.getStruct("customer").getString("email")).isEqualTo("ann@example.com");
  }

  @Test
  void severalPathsSharingParents_rewriteAllAndCopyTheRest() {
    Struct output =
        rewrite(
            rewriter(UPPER, "customer.email", "customer.phone", "customer.address.street", "note"),
            order());

    Struct expected = order().put("note", "LEAVE AT DOOR");
    Struct customer = expected.getStruct("customer");
    customer.put("email", "ANN@EXAMPLE.COM").put("phone", "+31 6 1234");
    customer.getStruct("address").put("street", "MAIN ST");
    assertThat(output).isEqualTo(expected);
  }

  @Test
  void untouchedNestedValues_areSharedNotCopied() {
    Struct input = order();

    Struct output = rewrite(rewriter(UPPER, "customer.email"), input);

    Struct inCustomer = input.getStruct("customer");
    Struct outCustomer = output.getStruct("customer");
    assertThat(outCustomer).isNotSameAs(inCustomer);
    assertThat(outCustomer.getStruct("address")).isSameAs(inCustomer.getStruct("address"));
    assertThat(outCustomer.getMap("attrs")).isSameAs(inCustomer.getMap("attrs"));
  }

  @Test
  void mapValuePath_rewritesOnlyThatKeyAndKeepsKeyOrder() {
    Struct output = rewrite(rewriter(UPPER, "customer.attrs.lang"), order());

    assertThat(output.getStruct("customer").<String, String>getMap("attrs"))
        .containsExactly(
            Map.entry("tier", "gold"), Map.entry("ssn", "123-45-6789"), Map.entry("lang", "NL"));
  }

  @Test
  void mapPathToAbsentKey_returnsInputUnchanged() {
    Struct input = order();

    SchemaAndValue result = rewriter(UPPER, "customer.attrs.passport").rewrite(ORDER, input);

    assertThat(result.value()).isSameAs(input);
    assertThat(result.schema()).isSameAs(ORDER);
  }

  @Test
  void mapPathToNullValue_isLeftAlone() {
    Rewrites.Recording recording = new Rewrites.Recording();
    Struct input = order();
    input.getStruct("customer").getMap("attrs").put("ssn", null);

    Object output = rewriter(recording, "customer.attrs.ssn").rewrite(ORDER, input).value();

    assertThat(output).isSameAs(input);
    assertThat(recording.valueCalls).isEmpty();
  }

  @Test
  void mapOfStructs_pathThroughKeyIntoStruct_rewritesField() {
    Schema schema =
        SchemaBuilder.struct()
            .field("byRole", SchemaBuilder.map(Schema.STRING_SCHEMA, Records.ADDRESS).build())
            .build();
    Struct home = Records.address();
    Struct work = Records.address();
    Struct input = new Struct(schema).put("byRole", Map.of("home", home, "work", work));

    Struct output = rewrite(rewriter(UPPER, "byRole.home.street"), input);

    Map<String, Struct> byRole = output.getMap("byRole");
    assertThat(byRole.get("home").getString("street")).isEqualTo("MAIN ST");
    assertThat(byRole.get("work")).isSameAs(work);
    assertThat(home.getString("street")).isEqualTo("main st");
  }

  @Test
  void nullField_isLeftAloneWithoutCallingTheRewrite() {
    Rewrites.Recording recording = new Rewrites.Recording();
    Struct input = order().put("note", null);

    Object output = rewriter(recording, "note").rewrite(ORDER, input).value();

    assertThat(output).isSameAs(input);
    assertThat(recording.valueCalls).isEmpty();
  }

  @Test
  void nullOptionalParentStruct_isLeftAlone() {
    Rewrites.Recording recording = new Rewrites.Recording();
    Struct input = order();
    input.getStruct("customer").put("address", null);

    Object output =
        rewriter(recording, "customer.address.zip", "customer.attrs.lang")
            .rewrite(ORDER, input)
            .value();

    // attrs.lang still changes, so the record is copied; the null address stays null.
    assertThat(((Struct) output).getStruct("customer").get("address")).isNull();
    assertThat(recording.valueCalls).containsExactly("customer.attrs.lang=nl");
  }

  @Test
  void nullOptionalMap_isLeftAlone() {
    Struct input = order();
    input.getStruct("customer").put("attrs", null);

    Object output = rewriter(UPPER, "customer.attrs.ssn").rewrite(ORDER, input).value();

    assertThat(output).isSameAs(input);
  }

  @Test
  void rewrite_receivesPathAndInputFieldSchema() {
    Rewrites.Recording recording = new Rewrites.Recording();

    rewriter(recording, "customer.email").rewrite(ORDER, order());

    assertThat(recording.valueCalls).containsExactly("customer.email=ann@example.com");
    assertThat(recording.valueSchemas).containsExactly(Schema.STRING_SCHEMA);
  }

  @Test
  void inputStructAndItsMaps_areNeverMutated() {
    Struct input = order();

    Struct output =
        rewrite(
            rewriter(
                UPPER, "orderId", "customer.email", "customer.address.zip", "customer.attrs.lang"),
            input);

    assertThat(output).isNotEqualTo(order());
    assertThat(input).isEqualTo(order());
  }

  @Test
  void rewriteReturningSameInstance_returnsInputStruct() {
    Struct input = order();

    Object output =
        rewriter(FieldRewrite.ofValues((path, value) -> value), "customer.email")
            .rewrite(ORDER, input)
            .value();

    assertThat(output).isSameAs(input);
  }

  @Test
  void onlyALaterPathChanges_earlierUnchangedAndNullFieldsAreCopiedAsTheyWere() {
    Struct input = order();
    input.getStruct("customer").put("phone", null);
    FieldRewrite onlyStreet =
        FieldRewrite.ofValues(
            (path, value) ->
                path.toString().equals("customer.address.street")
                    ? ((String) value).toUpperCase(Locale.ROOT)
                    : value);

    Struct output =
        rewrite(
            rewriter(onlyStreet, "customer.email", "customer.phone", "customer.address.street"),
            input);

    Struct expected = order();
    expected.getStruct("customer").put("phone", null);
    expected.getStruct("customer").getStruct("address").put("street", "MAIN ST");
    assertThat(output).isEqualTo(expected);
    assertThat(output.getStruct("customer").getString("email"))
        .isSameAs(input.getStruct("customer").getString("email"));
    assertThat(output.getStruct("customer").getMap("attrs"))
        .isSameAs(input.getStruct("customer").getMap("attrs"));
  }

  @Test
  void wholeStructField_isHandedToTheRewrite() {
    Struct replacement = new Struct(Records.ADDRESS).put("street", "hidden");

    Struct output =
        rewrite(
            rewriter(FieldRewrite.ofValues((p, v) -> replacement), "customer.address"), order());

    assertThat(output.getStruct("customer").getStruct("address")).isSameAs(replacement);
  }

  @Test
  void missingField_failPolicy_throwsNamingPathSchemaAndFields() {
    BoundRewriter rewriter = rewriter(UPPER, "customer.emial");

    assertThatThrownBy(() -> rewriter.rewrite(ORDER, order()))
        .isInstanceOfSatisfying(
            FieldPathException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      "Field 'customer.emial' not found in schema com.acme.Customer; fields are:"
                          + " id, email, phone, address, attrs, tags");
              assertThat(e.path()).contains(FieldPath.parse("customer.emial"));
            });
  }

  @Test
  void missingParent_failPolicy_namesTheMissingPrefix() {
    BoundRewriter rewriter = rewriter(UPPER, "buyer.email");

    assertThatThrownBy(() -> rewriter.rewrite(ORDER, order()))
        .isInstanceOf(FieldPathException.class)
        .hasMessageStartingWith(
            "Field 'buyer' of path 'buyer.email' not found in schema com.acme.Order");
  }

  @Test
  void missingField_unnamedSchema_saysSo() {
    Schema schema = SchemaBuilder.struct().field("a", Schema.STRING_SCHEMA).build();

    assertThatThrownBy(() -> rewriter(UPPER, "b").rewrite(schema, new Struct(schema).put("a", "x")))
        .hasMessage("Field 'b' not found in an unnamed struct schema; fields are: a");
  }

  @Test
  void missingField_skipPolicy_leavesItAloneAndRewritesOthers() {
    BoundRewriter rewriter =
        rewriter(UPPER, MissingFieldPolicy.SKIP, "customer.emial", "buyer.x", "customer.email");

    Struct output = rewrite(rewriter, order());

    Struct expected = order();
    expected.getStruct("customer").put("email", "ANN@EXAMPLE.COM");
    assertThat(output).isEqualTo(expected);
  }

  @Test
  void missingField_skipPolicy_onlyMissingPaths_returnsInput() {
    Struct input = order();

    SchemaAndValue result =
        rewriter(UPPER, MissingFieldPolicy.SKIP, "customer.emial").rewrite(ORDER, input);

    assertThat(result.value()).isSameAs(input);
    assertThat(result.schema()).isSameAs(ORDER);
  }

  @Test
  void pathThroughString_throwsNamingPathAndType() {
    BoundRewriter rewriter = rewriter(UPPER, MissingFieldPolicy.SKIP, "customer.email.domain");

    assertThatThrownBy(() -> rewriter.rewrite(ORDER, order()))
        .isInstanceOfSatisfying(
            FieldPathException.class,
            e -> {
              assertThat(e)
                  .hasMessageContaining(
                      "'customer.email.domain' goes through 'customer.email' of type STRING");
              assertThat(e.path()).contains(FieldPath.parse("customer.email.domain"));
            });
  }

  @Test
  void pathThroughArrayByName_throwsSuggestingTheElementStep() {
    assertThatThrownBy(() -> rewriter(UPPER, "customer.tags.x").rewrite(ORDER, order()))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'customer.tags', an ARRAY, by name; write 'customer.tags[*]'");
  }

  @Test
  void pathThroughMapWithIntKeys_throws() {
    Schema schema =
        SchemaBuilder.struct()
            .field("byId", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
            .build();
    Struct input = new Struct(schema).put("byId", Map.of(1, "a"));

    assertThatThrownBy(() -> rewriter(UPPER, "byId.1").rewrite(schema, input))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("'byId', whose keys are INT32");
  }

  @Test
  void mapValueRewriteChangingTheSchema_throwsNamingThePath() {
    Schema schema =
        SchemaBuilder.struct()
            .field("counts", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
            .build();
    Struct input = new Struct(schema).put("counts", Map.of("a", 1));

    BoundRewriter rewriter = rewriter(new Rewrites.IntToString(), "counts.a");

    assertThatThrownBy(() -> rewriter.rewrite(schema, input))
        .isInstanceOfSatisfying(
            FieldPathException.class,
            e -> {
              assertThat(e).hasMessageContaining("'counts.a' rewrites one value of map 'counts'");
              assertThat(e.path()).contains(FieldPath.parse("counts.a"));
            });
  }

  @Test
  void rewriteException_propagatesUnchanged() {
    IllegalStateException failure = new IllegalStateException("kms down");
    BoundRewriter rewriter =
        rewriter(
            FieldRewrite.ofValues(
                (path, value) -> {
                  throw failure;
                }),
            "customer.email");

    assertThatThrownBy(() -> rewriter.rewrite(ORDER, order())).isSameAs(failure);
  }

  @Test
  void tombstone_isReturnedUnchanged() {
    Rewrites.Recording recording = new Rewrites.Recording();

    SchemaAndValue result = rewriter(recording, "customer.email").rewrite(ORDER, null);

    assertThat(result.schema()).isSameAs(ORDER);
    assertThat(result.value()).isNull();
    assertThat(recording.schemaCalls).hasValue(0);
  }

  @Test
  void primitiveTopLevelValue_throws() {
    assertThatThrownBy(() -> rewriter(UPPER, "email").rewrite(Schema.STRING_SCHEMA, "ann"))
        .isInstanceOf(FieldPathException.class)
        .hasMessage(
            "A Struct or Map value is needed to rewrite fields [email], got schema type STRING"
                + " (java.lang.String)");
  }

  @Test
  void structSchemaWithMapValue_throws() {
    assertThatThrownBy(() -> rewriter(UPPER, "email").rewrite(ORDER, Map.of("email", "x")))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("got schema type STRUCT (java.util.");
  }

  @Test
  void topLevelStringKeyedMapSchema_rewritesByKey() {
    Schema schema = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build();

    SchemaAndValue result =
        rewriter(UPPER, "email").rewrite(schema, Map.of("email", "ann", "id", "7"));

    assertThat(result.schema()).isSameAs(schema);
    assertThat(result.value()).isEqualTo(Map.of("email", "ANN", "id", "7"));
  }

  @Test
  void structWithoutRecordSchema_isWalkedByItsOwnSchema() {
    SchemaAndValue result = rewriter(UPPER, "note").rewrite(null, order());

    assertThat(result.schema()).isNull();
    assertThat(((Struct) result.value()).getString("note")).isEqualTo("LEAVE AT DOOR");
  }

  @Test
  void overlappingPaths_areRejectedAtConstruction() {
    List<FieldPath> paths = List.of(FieldPath.parse("customer"), FieldPath.parse("customer.email"));

    assertThatThrownBy(() -> new BoundRewriter(paths, UPPER, MissingFieldPolicy.FAIL, 16))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("overlap");
  }

  @Test
  void noPaths_returnsInputUnchanged() {
    Struct input = order();
    BoundRewriter rewriter = new BoundRewriter(List.of(), UPPER, MissingFieldPolicy.FAIL, 16);

    assertThat(rewriter.rewrite(ORDER, input).value()).isSameAs(input);
  }
}
