package io.csfle.connect.field;

import static io.csfle.connect.field.Records.rewriter;
import static io.csfle.connect.field.Rewrites.UPPER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * Debezium change events: an envelope whose {@code before} and {@code after} rows are optional
 * Structs, one of them null for inserts ({@code op=c}) and deletes ({@code op=d}).
 */
class RecordRewriterEnvelopeTest {

  private static final Schema ITEM =
      SchemaBuilder.struct()
          .name("dbserver1.inventory.customers.Item")
          .field("sku", Schema.STRING_SCHEMA)
          .field("price", Schema.OPTIONAL_INT32_SCHEMA)
          .build();

  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("dbserver1.inventory.customers.Value")
          .field("id", Schema.INT32_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("items", SchemaBuilder.array(ITEM).optional().build())
          .optional()
          .build();

  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("version", Schema.STRING_SCHEMA)
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .build();

  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Envelope")
          .version(1)
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private static Struct row(String email, Struct... items) {
    return new Struct(ROW).put("id", 1001).put("email", email).put("items", List.of(items));
  }

  private static Struct item(String sku, int price) {
    return new Struct(ITEM).put("sku", sku).put("price", price);
  }

  private static Struct event(String op, Struct before, Struct after) {
    Struct source =
        new Struct(SOURCE)
            .put("version", "2.7.0.Final")
            .put("connector", "postgresql")
            .put("name", "dbserver1")
            .put("ts_ms", 1_700_000_000_000L)
            .put("db", "inventory")
            .put("table", "customers");
    return new Struct(ENVELOPE)
        .put("before", before)
        .put("after", after)
        .put("source", source)
        .put("op", op)
        .put("ts_ms", 1_700_000_000_123L);
  }

  private static Struct rewritten(BoundRewriter rewriter, Struct event) {
    SchemaAndValue result = rewriter.rewrite(ENVELOPE, event);
    Struct output = (Struct) result.value();
    assertThat(output.schema()).isSameAs(result.schema());
    output.validate();
    return output;
  }

  @Test
  void insert_beforeIsNull_afterIsRewritten() {
    Rewrites.Recording recording = new Rewrites.Recording();
    Struct input = event("c", null, row("ann@example.com"));

    Struct output = rewritten(rewriter(recording, "before.email", "after.email"), input);

    assertThat(output.get("before")).isNull();
    assertThat(output.getStruct("after").getString("email")).isEqualTo("ANN@EXAMPLE.COM");
    assertThat(output.getStruct("source")).isSameAs(input.getStruct("source"));
    assertThat(output.getString("op")).isEqualTo("c");
    assertThat(recording.valueCalls).containsExactly("after.email=ann@example.com");
  }

  @Test
  void delete_afterIsNull_beforeIsRewritten() {
    Struct input = event("d", row("ann@example.com"), null);

    Struct output = rewritten(rewriter(UPPER, "before.email", "after.email"), input);

    assertThat(output.getStruct("before").getString("email")).isEqualTo("ANN@EXAMPLE.COM");
    assertThat(output.get("after")).isNull();
  }

  @Test
  void update_bothRowsAreRewritten() {
    Struct input = event("u", row("ann@old"), row("ann@new"));

    Struct output = rewritten(rewriter(UPPER, "before.email", "after.email"), input);

    assertThat(output.getStruct("before").getString("email")).isEqualTo("ANN@OLD");
    assertThat(output.getStruct("after").getString("email")).isEqualTo("ANN@NEW");
  }

  @Test
  void typeChangingRewrite_rebuildsBothRowSchemasAndKeepsTheEnvelopeName() {
    BoundRewriter rewriter = rewriter(new Rewrites.IntToString(), "before.id", "after.id");

    Struct insert = rewritten(rewriter, event("c", null, row("ann@example.com")));
    Struct delete = rewritten(rewriter, event("d", row("ann@example.com"), null));

    Schema schema = insert.schema();
    assertThat(delete.schema()).isSameAs(schema);
    assertThat(schema.name()).isEqualTo("io.debezium.connector.postgresql.Envelope");
    assertThat(schema.version()).isEqualTo(1);
    assertThat(schema.field("before").schema().name())
        .isEqualTo("dbserver1.inventory.customers.Value");
    assertThat(schema.field("before").schema().isOptional()).isTrue();
    assertThat(schema.field("after").schema().field("id").schema().type())
        .isEqualTo(Schema.Type.STRING);
    assertThat(schema.field("source").schema()).isSameAs(SOURCE);
    assertThat(insert.get("before")).isNull();
    assertThat(insert.getStruct("after").getString("id")).isEqualTo("#1001");
    assertThat(delete.getStruct("before").getString("id")).isEqualTo("#1001");
    assertThat(delete.get("after")).isNull();
  }

  @Test
  void arrayOfStructsInsideTheRows_everyElementIsRewritten() {
    Struct input =
        event("u", row("a@old", item("sku-1", 5)), row("a@new", item("sku-1", 5), item("x", 7)));

    Struct output =
        rewritten(
            rewriter(UPPER, "before.items[*].sku", "after.items[*].sku", "after.email"), input);

    assertThat(output.getStruct("before").<Struct>getArray("items"))
        .extracting(i -> i.getString("sku"))
        .containsExactly("SKU-1");
    assertThat(output.getStruct("after").<Struct>getArray("items"))
        .extracting(i -> i.getString("sku"))
        .containsExactly("SKU-1", "X");
    assertThat(output.getStruct("after").getString("email")).isEqualTo("A@NEW");
  }

  @Test
  void arrayOfStructsInsideTheRows_typeChange_withANullRow() {
    BoundRewriter rewriter =
        rewriter(new Rewrites.IntToString(), "before.items[*].price", "after.items[*].price");

    Struct output = rewritten(rewriter, event("c", null, row("a", item("s", 5), item("t", 6))));

    Schema item = output.schema().field("after").schema().field("items").schema().valueSchema();
    assertThat(item.name()).isEqualTo("dbserver1.inventory.customers.Item");
    assertThat(item.field("price").schema())
        .isEqualTo(SchemaBuilder.string().optional().doc("was INT32").build());
    assertThat(output.getStruct("after").<Struct>getArray("items"))
        .extracting(i -> i.getString("price"))
        .containsExactly("#5", "#6");
    assertThat(output.get("before")).isNull();
  }

  @Test
  void tombstone_passesThroughUntouched() {
    Rewrites.Recording recording = new Rewrites.Recording();

    SchemaAndValue result =
        rewriter(recording, "before.email", "after.email").rewrite(ENVELOPE, null);

    assertThat(result.value()).isNull();
    assertThat(result.schema()).isSameAs(ENVELOPE);
    assertThat(recording.schemaCalls).hasValue(0);
  }
}
