package io.csfle.connect.field;

import static io.csfle.connect.field.Records.rewriter;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * Object mode: a path that ends at a Struct, Map or array (no {@code [*]}) hands the whole
 * container to the rewrite, as encryption of a whole value needs.
 */
class RecordRewriterObjectModeTest {

  /** Turns any value into one STRING, as encrypting a whole container does; records what it saw. */
  private static final class Sealing implements FieldRewrite {
    final List<Schema> schemas = new ArrayList<>();
    final List<Object> values = new ArrayList<>();

    @Override
    public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
      schemas.add(fieldSchema);
      return fieldSchema.isOptional() ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA;
    }

    @Override
    public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
      values.add(value);
      return "sealed " + path;
    }
  }

  private static Map<String, Object> schemaless() {
    Map<String, Object> customer = new LinkedHashMap<>();
    customer.put("email", "ann@example.com");
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("customer", customer);
    record.put("attrs", Map.of("tier", "gold"));
    record.put("tags", List.of("vip", "new"));
    return record;
  }

  @Test
  void wholeStruct_isHandedOverWithItsSchemaAndReplacedByTheRewrite() {
    Sealing sealing = new Sealing();
    Struct input = Records.order();

    SchemaAndValue result = rewriter(sealing, "customer.address").rewrite(Records.ORDER, input);

    Struct output = (Struct) result.value();
    assertThat(sealing.schemas).containsExactly(Records.ADDRESS);
    assertThat(sealing.values).containsExactly(input.getStruct("customer").getStruct("address"));
    assertThat(result.schema().field("customer").schema().field("address").schema())
        .isSameAs(Schema.OPTIONAL_STRING_SCHEMA);
    assertThat(output.getStruct("customer").getString("address"))
        .isEqualTo("sealed customer.address");
    output.validate();
  }

  @Test
  void wholeMap_isHandedOverWithItsSchemaAndReplacedByTheRewrite() {
    Sealing sealing = new Sealing();
    Struct input = Records.order();

    SchemaAndValue result = rewriter(sealing, "customer.attrs").rewrite(Records.ORDER, input);

    Struct output = (Struct) result.value();
    assertThat(sealing.schemas).containsExactly(Records.ATTRS);
    assertThat(sealing.values).containsExactly(Records.attrs());
    assertThat(output.getStruct("customer").getString("attrs")).isEqualTo("sealed customer.attrs");
    output.validate();
  }

  @Test
  void wholeArray_isHandedOverWithItsSchemaAndReplacedByTheRewrite() {
    Sealing sealing = new Sealing();
    Struct input = Records.order();

    SchemaAndValue result = rewriter(sealing, "customer.tags").rewrite(Records.ORDER, input);

    Struct output = (Struct) result.value();
    assertThat(sealing.schemas).containsExactly(Records.CUSTOMER.field("tags").schema());
    assertThat(sealing.values).containsExactly(List.of("vip"));
    assertThat(output.getStruct("customer").getString("tags")).isEqualTo("sealed customer.tags");
    output.validate();
  }

  @Test
  void wholeArrayOfStructs_isOneValueNotItsElements() {
    Sealing sealing = new Sealing();
    Struct input = Baskets.basket();

    Struct output =
        (Struct) rewriter(sealing, "items", "contacts").rewrite(Baskets.BASKET, input).value();

    assertThat(sealing.values).containsExactly(input.getArray("items"), input.getMap("contacts"));
    assertThat(output.getString("items")).isEqualTo("sealed items");
    assertThat(output.getString("contacts")).isEqualTo("sealed contacts");
    output.validate();
  }

  @Test
  void nullContainers_areLeftAloneInObjectMode() {
    Sealing sealing = new Sealing();
    Struct input = Records.order();
    input.getStruct("customer").put("address", null).put("attrs", null).put("tags", null);

    Struct output =
        (Struct)
            rewriter(sealing, "customer.address", "customer.attrs", "customer.tags")
                .rewrite(Records.ORDER, input)
                .value();

    assertThat(sealing.values).isEmpty();
    assertThat(output.getStruct("customer").get("address")).isNull();
    output.validate();
  }

  @Test
  void schemalessWholeMapAndList_areHandedOverAsIs() {
    Sealing sealing = new Sealing();
    Map<String, Object> input = schemaless();

    SchemaAndValue result = rewriter(sealing, "customer", "attrs", "tags").rewrite(null, input);

    assertThat(sealing.schemas).isEmpty();
    assertThat(sealing.values)
        .containsExactly(input.get("customer"), input.get("attrs"), input.get("tags"));
    assertThat(result.value())
        .isEqualTo(
            Map.of("customer", "sealed customer", "attrs", "sealed attrs", "tags", "sealed tags"));
    assertThat(input).isEqualTo(schemaless());
  }

  @Test
  void objectModeNextToElementMode_eachGetsItsOwnValues() {
    Sealing sealing = new Sealing();
    Schema schema =
        SchemaBuilder.struct()
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("notes", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .build();
    Struct input = new Struct(schema).put("tags", List.of("a", "b")).put("notes", List.of("c"));

    Struct output = (Struct) rewriter(sealing, "tags", "notes[*]").rewrite(schema, input).value();

    assertThat(sealing.values).containsExactly(List.of("a", "b"), "c");
    assertThat(output.getString("tags")).isEqualTo("sealed tags");
    assertThat(output.getArray("notes")).containsExactly("sealed notes[*]");
    output.validate();
  }
}
