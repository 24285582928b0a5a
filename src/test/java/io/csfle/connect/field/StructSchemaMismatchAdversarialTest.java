package io.csfle.connect.field;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.testing.LeakWatch;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Struct whose schema is not the one declared for its place (the record's value schema, a parent
 * field's schema, an array's element schema, a map's value schema). The walker reads fields by
 * position, so reading such a Struct through the declared schema would hand one field's value to
 * another's rewrite, and copy a value meant to be rewritten (plaintext) into another field. It must
 * refuse the record at every depth, without calling the rewrite, and accept Structs whose schema is
 * another but equal instance, or a SchemaBuilder of the same shape (Struct defaults).
 */
class StructSchemaMismatchAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();
  private static final Logger log =
      LoggerFactory.getLogger(StructSchemaMismatchAdversarialTest.class);

  private static final String SECRET_VALUE = "secret-f1-4111-1111";

  private static final Schema DECLARED = row("f1", "note");
  private static final Schema SWAPPED = row("note", "f1");

  private static Schema row(String first, String second) {
    return SchemaBuilder.struct()
        .name("Row")
        .field(first, Schema.OPTIONAL_STRING_SCHEMA)
        .field(second, Schema.OPTIONAL_STRING_SCHEMA)
        .optional()
        .build();
  }

  private static Struct swapped() {
    leaks.plaintext(SECRET_VALUE);
    return new Struct(SWAPPED).put("note", "a note").put("f1", SECRET_VALUE);
  }

  private static FieldPathException refused(
      Rewrites.Recording recording, Schema schema, Object value, String... paths) {
    Throwable thrown =
        leaks.thrown(() -> Records.rewriter(recording, paths).rewrite(schema, value));
    // As a worker would: the failure is logged with its chain, which the leak watch then scans.
    log.error("Record refused", thrown);
    assertThat(thrown).isInstanceOf(FieldPathException.class);
    assertThat(recording.valueCalls).isEmpty();
    return (FieldPathException) thrown;
  }

  @Test
  void topLevelStructOfAnotherFieldOrder_isRefusedNamingThePath() {
    Rewrites.Recording recording = new Rewrites.Recording();

    FieldPathException e = refused(recording, DECLARED, swapped(), "note");

    assertThat(e.path()).hasValueSatisfying(p -> assertThat(p.toString()).isEqualTo("note"));
    assertThat(e).hasMessageContaining("[note, f1]").hasMessageContaining("[f1, note]");
  }

  @Test
  void nestedStructOfAnotherSchema_isRefused() {
    Schema outer = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).field("row", DECLARED);
    // Struct.put checks a nested Struct's schema; a Field of another schema slips past that check,
    // as a hostile or buggy producer of Connect data can.
    Struct value = new Struct(outer).put("id", "1").put(new Field("row", 1, SWAPPED), swapped());

    FieldPathException e = refused(new Rewrites.Recording(), outer, value, "row.note");

    assertThat(e).hasMessageContaining("'row'");
  }

  @Test
  void arrayElementOfAnotherSchema_isRefused() {
    Schema outer = SchemaBuilder.struct().field("rows", SchemaBuilder.array(DECLARED).build());
    List<Struct> rows = new ArrayList<>();
    Struct value = new Struct(outer).put("rows", rows);
    rows.add(swapped()); // added after put, so never validated
    rows.add(new Struct(DECLARED).put("f1", "ok").put("note", "ok"));

    refused(new Rewrites.Recording(), outer, value, "rows[*].note");
  }

  @Test
  void mapValueOfAnotherSchema_isRefused() {
    Schema outer =
        SchemaBuilder.struct()
            .field("byId", SchemaBuilder.map(Schema.STRING_SCHEMA, DECLARED).build());
    Map<String, Struct> byId = new LinkedHashMap<>();
    Struct value = new Struct(outer).put("byId", byId);
    byId.put("a", swapped());

    refused(new Rewrites.Recording(), outer, value, "byId[*].note");
    refused(new Rewrites.Recording(), outer, value, "byId.a.note");
  }

  @Test
  void sameNamesButAnotherType_isRefused() {
    Schema typed =
        SchemaBuilder.struct()
            .name("Row")
            .field("f1", Schema.OPTIONAL_INT32_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .optional()
            .build();
    Struct value = new Struct(typed).put("f1", 7).put("note", "n");

    refused(new Rewrites.Recording(), DECLARED, value, "note");
  }

  @Test
  void decimalOfAnotherScale_isRefused() {
    Schema scale2 = SchemaBuilder.struct().field("amount", Decimal.schema(2)).build();
    Schema scale4 = SchemaBuilder.struct().field("amount", Decimal.schema(4)).build();
    Struct value = new Struct(scale4).put("amount", new BigDecimal("1.0000"));

    assertThat(
            leaks.thrown(() -> Records.rewriter(Rewrites.UPPER, "amount").rewrite(scale2, value)))
        .isInstanceOf(FieldPathException.class);
  }

  @Test
  void equalButNotIdenticalSchemas_atEveryDepth_areRewritten() {
    Schema outer =
        SchemaBuilder.struct()
            .field("row", DECLARED)
            .field("rows", SchemaBuilder.array(DECLARED).build())
            .build();
    Schema outerTwin =
        SchemaBuilder.struct()
            .field("row", row("f1", "note"))
            .field("rows", SchemaBuilder.array(row("f1", "note")).build())
            .build();
    Schema rowTwin = outerTwin.field("rows").schema().valueSchema();
    Struct value =
        new Struct(outerTwin)
            .put("row", new Struct(outerTwin.field("row").schema()).put("note", "a"))
            .put("rows", List.of(new Struct(rowTwin).put("note", "b")));
    BoundRewriter rewriter = Records.rewriter(Rewrites.UPPER, "row.note", "rows[*].note");

    for (int round = 0; round < 2; round++) { // the second round takes the remembered instances
      Struct output = (Struct) rewriter.rewrite(outer, value).value();
      assertThat(output.getStruct("row").getString("note")).isEqualTo("A");
      assertThat(((Struct) output.getArray("rows").get(0)).getString("note")).isEqualTo("B");
    }
  }

  @Test
  void structDefaultBuiltOnASchemaBuilder_isRewritten() {
    SchemaBuilder rowBuilder =
        SchemaBuilder.struct()
            .name("Row")
            .field("f1", Schema.OPTIONAL_STRING_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .optional();
    Struct fallback = new Struct(rowBuilder).put("f1", "default f1").put("note", "default note");
    Schema row = rowBuilder.defaultValue(fallback).build();
    Schema outer = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).field("row", row);
    Struct value = new Struct(outer).put("id", "1"); // row unset: reads as its default

    Struct output =
        (Struct) Records.rewriter(Rewrites.UPPER, "row.note").rewrite(outer, value).value();

    assertThat(fallback.schema()).isSameAs(rowBuilder).isNotEqualTo(row);
    assertThat(output.getStruct("row").getString("note")).isEqualTo("DEFAULT NOTE");
    assertThat(output.getStruct("row").getString("f1")).isEqualTo("default f1");
  }
}
