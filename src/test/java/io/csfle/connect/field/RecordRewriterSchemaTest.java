package io.csfle.connect.field;

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

/** The walker's output schemas: reuse, caching, rebuilding, metadata and defaults. */
class RecordRewriterSchemaTest {

  private static final Schema LINE = lineSchema(false);

  private static final Schema INVOICE = invoiceSchema(LINE);

  /** A Struct default has to be built on the builder itself, which is the schema it must match. */
  private static Schema lineSchema(boolean withDefault) {
    SchemaBuilder builder =
        SchemaBuilder.struct()
            .name("com.acme.Line")
            .version(3)
            .doc("one invoice line")
            .parameter("origin", "erp")
            .field("sku", Schema.STRING_SCHEMA)
            .field("qty", SchemaBuilder.int32().defaultValue(1).build())
            .field("discount", Schema.OPTIONAL_INT32_SCHEMA)
            .optional();
    if (withDefault) {
      builder.defaultValue(new Struct(builder).put("sku", "none").put("qty", 0));
    }
    return builder.build();
  }

  private static Schema invoiceSchema(Schema line) {
    return SchemaBuilder.struct()
        .name("com.acme.Invoice")
        .version(2)
        .doc("an invoice")
        .parameters(Map.of("team", "billing", "pii", "yes"))
        .field("id", Schema.STRING_SCHEMA)
        .field("country", SchemaBuilder.string().defaultValue("nl").build())
        .field("line", line)
        .build();
  }

  private static Struct line() {
    return new Struct(LINE).put("sku", "sku-1").put("qty", 3).put("discount", 10);
  }

  private static Struct invoice() {
    return new Struct(INVOICE).put("id", "inv-1").put("country", "be").put("line", line());
  }

  @Test
  void unchangedSchemas_returnTheInputInstancesAtEveryLevel() {
    SchemaAndValue result = rewriter(UPPER, "line.sku").rewrite(INVOICE, invoice());

    Struct output = (Struct) result.value();
    assertThat(result.schema()).isSameAs(INVOICE);
    assertThat(output.schema()).isSameAs(INVOICE);
    assertThat(output.getStruct("line").schema()).isSameAs(LINE);
    assertThat(output.getStruct("line").getString("sku")).isEqualTo("SKU-1");
  }

  @Test
  void manyRecords_rewriteSchemaIsCalledOncePerPath() {
    Rewrites.Recording recording = new Rewrites.Recording();
    BoundRewriter rewriter = rewriter(recording, "id", "line.sku");

    for (int i = 0; i < 5; i++) {
      rewriter.rewrite(INVOICE, invoice());
    }

    assertThat(recording.schemaCalls).hasValue(2);
    assertThat(recording.valueCalls).hasSize(10);
  }

  @Test
  void equalButDistinctSchemaInstance_sharesThePlanAndGetsItsOwnInstanceBack() {
    Rewrites.Recording recording = new Rewrites.Recording();
    BoundRewriter rewriter = rewriter(recording, "line.sku");
    Schema twin = invoiceSchema(lineSchema(false));
    Struct twinValue = new Struct(twin).put("id", "inv-2").put("country", "be").put("line", line());

    rewriter.rewrite(INVOICE, invoice());
    SchemaAndValue result = rewriter.rewrite(twin, twinValue);

    assertThat(twin).isEqualTo(INVOICE).isNotSameAs(INVOICE);
    assertThat(recording.schemaCalls).hasValue(1);
    assertThat(result.schema()).isSameAs(twin);
  }

  @Test
  void cacheOfSizeOne_replansAnEvictedSchema() {
    Rewrites.Recording recording = new Rewrites.Recording();
    BoundRewriter rewriter =
        new BoundRewriter(List.of(FieldPath.parse("id")), recording, MissingFieldPolicy.FAIL, 1);
    Schema other = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
    Struct otherValue = new Struct(other).put("id", "x");

    rewriter.rewrite(INVOICE, invoice());
    rewriter.rewrite(other, otherValue);
    rewriter.rewrite(INVOICE, invoice());

    assertThat(recording.schemaCalls).hasValue(3);
  }

  @Test
  void skipPolicy_missingFieldIsDecidedOncePerSchema() {
    Rewrites.Recording recording = new Rewrites.Recording();
    BoundRewriter rewriter = rewriter(recording, MissingFieldPolicy.SKIP, "line.skew", "line.sku");

    for (int i = 0; i < 3; i++) {
      rewriter.rewrite(INVOICE, invoice());
    }

    assertThat(recording.schemaCalls).hasValue(1);
    assertThat(recording.valueCalls).containsOnly("line.sku=sku-1");
  }

  @Test
  void nestedIntToString_rebuildsSchemasAlongThePath() {
    SchemaAndValue result =
        rewriter(new Rewrites.IntToString(), "line.qty").rewrite(INVOICE, invoice());

    Schema schema = result.schema();
    Struct output = (Struct) result.value();
    assertThat(schema).isNotSameAs(INVOICE);
    assertThat(schema.field("line").schema().field("qty").schema().type())
        .isEqualTo(Schema.Type.STRING);
    assertThat(output.schema()).isSameAs(schema);
    assertThat(output.getStruct("line").schema()).isSameAs(schema.field("line").schema());
    assertThat(output.getStruct("line").getString("qty")).isEqualTo("#3");
    assertThat(output.getStruct("line").getString("sku")).isEqualTo("sku-1");
    assertThat(output.getStruct("line").getInt32("discount")).isEqualTo(10);
    assertThat(output.getString("id")).isEqualTo("inv-1");
    output.validate();
  }

  @Test
  void rebuiltStructs_keepNameVersionDocParametersAndOptionality() {
    Schema schema =
        rewriter(new Rewrites.IntToString(), "line.qty").rewrite(INVOICE, invoice()).schema();

    assertThat(schema.name()).isEqualTo("com.acme.Invoice");
    assertThat(schema.version()).isEqualTo(2);
    assertThat(schema.doc()).isEqualTo("an invoice");
    assertThat(schema.parameters()).isEqualTo(Map.of("team", "billing", "pii", "yes"));
    assertThat(schema.isOptional()).isFalse();
    Schema line = schema.field("line").schema();
    assertThat(line.name()).isEqualTo("com.acme.Line");
    assertThat(line.version()).isEqualTo(3);
    assertThat(line.doc()).isEqualTo("one invoice line");
    assertThat(line.parameters()).isEqualTo(Map.of("origin", "erp"));
    assertThat(line.isOptional()).isTrue();
    assertThat(line.fields()).extracting("name").containsExactly("sku", "qty", "discount");
  }

  @Test
  void rebuiltStructs_reuseUntouchedFieldSchemasWithTheirDefaults() {
    Schema schema =
        rewriter(new Rewrites.IntToString(), "line.qty").rewrite(INVOICE, invoice()).schema();

    assertThat(schema.field("country").schema()).isSameAs(INVOICE.field("country").schema());
    assertThat(schema.field("country").schema().defaultValue()).isEqualTo("nl");
    assertThat(schema.field("line").schema().field("discount").schema())
        .isSameAs(Schema.OPTIONAL_INT32_SCHEMA);
  }

  @Test
  void changedSchema_isOneInstanceForAllRecords() {
    BoundRewriter rewriter = rewriter(new Rewrites.IntToString(), "line.qty");

    SchemaAndValue first = rewriter.rewrite(INVOICE, invoice());
    SchemaAndValue second = rewriter.rewrite(INVOICE, invoice());

    assertThat(second.schema()).isSameAs(first.schema());
    assertThat(((Struct) second.value()).schema()).isSameAs(first.schema());
  }

  @Test
  void changedSchema_nullOptionalParent_stillGetsTheNewSchema() {
    SchemaAndValue result =
        rewriter(new Rewrites.IntToString(), "line.qty")
            .rewrite(INVOICE, invoice().put("line", null));

    Struct output = (Struct) result.value();
    assertThat(output.schema()).isSameAs(result.schema()).isNotEqualTo(INVOICE);
    assertThat(output.get("line")).isNull();
    output.validate();
  }

  @Test
  void changedSchema_nullOptionalLeaf_staysNull() {
    Struct input = invoice();
    input.getStruct("line").put("discount", null);

    BoundRewriter rewriter = rewriter(new Rewrites.IntToString(), "line.discount");

    Struct output = (Struct) rewriter.rewrite(INVOICE, input).value();

    assertThat(output.getStruct("line").get("discount")).isNull();
    assertThat(output.getStruct("line").schema().field("discount").schema().type())
        .isEqualTo(Schema.Type.STRING);
    output.validate();
  }

  @Test
  void rewrittenField_getsTheDefaultRewriteSchemaReturns() {
    Schema schema =
        rewriter(new Rewrites.IntToString(), "line.qty").rewrite(INVOICE, invoice()).schema();

    // IntToString builds its schema without a default: the INT32 default 1 is dropped, not kept.
    Schema qty = schema.field("line").schema().field("qty").schema();
    assertThat(qty.defaultValue()).isNull();
    assertThat(qty.doc()).isEqualTo("was INT32");
  }

  @Test
  void unchangedRewrittenField_keepsItsDefault() {
    SchemaAndValue result = rewriter(UPPER, "country").rewrite(INVOICE, invoice());

    assertThat(result.schema().field("country").schema().defaultValue()).isEqualTo("nl");
  }

  @Test
  void unsetFieldWithDefault_defaultIsRewrittenLikeAValue() {
    Struct input = new Struct(INVOICE).put("id", "inv-1").put("line", line());

    Struct output = (Struct) rewriter(UPPER, "country").rewrite(INVOICE, input).value();

    assertThat(output.getWithoutDefault("country")).isEqualTo("NL");
  }

  @Test
  void unsetIntWithDefault_isRewrittenToTheNewType() {
    Struct line = new Struct(LINE).put("sku", "sku-1");
    Struct input = invoice().put("line", line);

    Struct output =
        (Struct) rewriter(new Rewrites.IntToString(), "line.qty").rewrite(INVOICE, input).value();

    assertThat(output.getStruct("line").getString("qty")).isEqualTo("#1");
    output.validate();
  }

  @Test
  void rebuiltStruct_dropsItsDefault_andAnUnsetValueIsWalkedFromTheDefault() {
    Schema invoice = invoiceSchema(lineSchema(true));
    Struct input = new Struct(invoice).put("id", "inv-1").put("country", "be");

    SchemaAndValue result =
        rewriter(new Rewrites.IntToString(), "line.qty").rewrite(invoice, input);

    assertThat(result.schema().field("line").schema().defaultValue()).isNull();
    assertThat(((Struct) result.value()).getStruct("line").getString("qty")).isEqualTo("#0");
  }

  @Test
  void unsetStructWithDefault_unchangedSchema_isWalkedFromTheDefault() {
    Schema invoice = invoiceSchema(lineSchema(true));
    Struct input = new Struct(invoice).put("id", "inv-1").put("country", "be");

    SchemaAndValue result = rewriter(UPPER, "line.sku").rewrite(invoice, input);

    Struct output = (Struct) result.value();
    assertThat(result.schema()).isSameAs(invoice);
    assertThat(output.getStruct("line").getString("sku")).isEqualTo("NONE");
    output.validate();
  }

  @Test
  void unsetStructWithDefault_unchangedInsideAChangedParent_staysUnset() {
    Schema schema =
        SchemaBuilder.struct()
            .field("n", Schema.INT32_SCHEMA)
            .field("line", lineSchema(true))
            .build();
    Struct input = new Struct(schema).put("n", 5);
    // INT32 becomes STRING; strings keep schema and value, so the defaulted line comes back as is.
    FieldRewrite intsOnly =
        new FieldRewrite() {
          @Override
          public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
            return fieldSchema.type() == Schema.Type.INT32 ? Schema.STRING_SCHEMA : fieldSchema;
          }

          @Override
          public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
            return value instanceof Integer ? "#" + value : value;
          }
        };

    Struct output = (Struct) rewriter(intsOnly, "n", "line.sku").rewrite(schema, input).value();

    assertThat(output.getString("n")).isEqualTo("#5");
    assertThat(output.getWithoutDefault("line")).isNull();
    assertThat(((Struct) output.get("line")).getString("sku")).isEqualTo("none");
    output.validate();
  }

  @Test
  void copiedFieldsLeftUnset_stayUnset() {
    Schema invoice = invoiceSchema(lineSchema(true));
    Struct input = new Struct(invoice).put("id", "inv-1");

    Struct output = (Struct) rewriter(UPPER, "id").rewrite(invoice, input).value();

    assertThat(output.getString("id")).isEqualTo("INV-1");
    assertThat(output.getWithoutDefault("country")).isNull();
    assertThat(output.getWithoutDefault("line")).isNull();
    output.validate();
  }

  @Test
  void optionalFieldMadeRequiredByTheRewrite_throws() {
    FieldRewrite requiredString =
        new FieldRewrite() {
          @Override
          public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
            return Schema.STRING_SCHEMA;
          }

          @Override
          public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
            return value.toString();
          }
        };

    assertThatThrownBy(() -> rewriter(requiredString, "line.discount").rewrite(INVOICE, invoice()))
        .isInstanceOf(FieldPathException.class)
        .hasMessage("The rewrite would make optional field 'line.discount' required");
  }

  @Test
  void rewrittenValueNotFittingTheOutputSchema_throwsNamingThePath() {
    FieldRewrite inconsistent =
        new FieldRewrite() {
          @Override
          public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
            return Schema.STRING_SCHEMA;
          }

          @Override
          public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
            return 99;
          }
        };

    assertThatThrownBy(() -> rewriter(inconsistent, "line.qty").rewrite(INVOICE, invoice()))
        .isInstanceOfSatisfying(
            FieldPathException.class,
            e -> {
              assertThat(e)
                  .hasMessageStartingWith(
                      "The rewritten value of 'line.qty' does not fit its output schema: ");
              assertThat(e.path()).contains(FieldPath.parse("line.qty"));
              assertThat(e.getCause()).isNotNull();
            });
  }

  @Test
  void rewriteSchemaReturningNull_throws() {
    FieldRewrite noSchema =
        new FieldRewrite() {
          @Override
          public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
            return null;
          }

          @Override
          public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
            return value;
          }
        };

    assertThatThrownBy(() -> rewriter(noSchema, "id").rewrite(INVOICE, invoice()))
        .isInstanceOf(FieldPathException.class)
        .hasMessageContaining("no schema for field 'id'");
  }

  @Test
  void rewriteSchemaRejectingAType_propagatesItsException() {
    assertThatThrownBy(
            () -> rewriter(new Rewrites.IntToString(), "line.sku").rewrite(INVOICE, invoice()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an INT32: line.sku");
  }

  @Test
  void equalSchemaFromTheRewrite_countsAsUnchanged() {
    FieldRewrite rebuildsEqual =
        new FieldRewrite() {
          @Override
          public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
            return SchemaBuilder.string().build();
          }

          @Override
          public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
            return "x";
          }
        };

    SchemaAndValue result = rewriter(rebuildsEqual, "line.sku").rewrite(INVOICE, invoice());

    assertThat(result.schema()).isSameAs(INVOICE);
  }
}
