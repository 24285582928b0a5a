package io.csfle.connect.field;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class StructValuesTest {
  private static final Schema SCHEMA =
      SchemaBuilder.struct()
          .field("id", Schema.INT64_SCHEMA)
          .field("note", SchemaBuilder.string().optional().defaultValue("none").build())
          .build();

  @Test
  void supportedConnectVersion_copiesWithoutRevalidating() {
    // If a Connect upgrade renames Struct's internals, copies silently fall back to validated puts;
    // this makes the slowdown visible instead.
    assertThat(StructValues.direct()).isTrue();
  }

  @Test
  void setValue_isCopied() {
    Struct input = new Struct(SCHEMA).put("id", 7L).put("note", "kept");
    Struct output = new Struct(SCHEMA);

    StructValues.copy(input, SCHEMA.field("id"), output, SCHEMA.field("id"));
    StructValues.copy(input, SCHEMA.field("note"), output, SCHEMA.field("note"));

    assertThat(output).isEqualTo(input);
  }

  @Test
  void unsetValueWithDefault_staysUnset() {
    Struct input = new Struct(SCHEMA).put("id", 7L);
    Struct output = new Struct(SCHEMA);

    StructValues.copy(input, SCHEMA.field("note"), output, SCHEMA.field("note"));

    assertThat(output.getWithoutDefault("note")).isNull();
    assertThat(output.get("note")).isEqualTo("none");
  }

  @Test
  void copy_leavesTheInputUntouched() {
    Struct input = new Struct(SCHEMA).put("id", 7L).put("note", "kept");
    Struct output = new Struct(SCHEMA);

    StructValues.copy(input, SCHEMA.field("id"), output, SCHEMA.field("id"));
    output.put("id", 8L);

    assertThat(input.getInt64("id")).isEqualTo(7L);
  }

  @Test
  void plainStringAndBytes_areStoredAsAPutWouldStoreThem() {
    Schema schema =
        SchemaBuilder.struct()
            .field("s", Schema.STRING_SCHEMA)
            .field("b", Schema.OPTIONAL_BYTES_SCHEMA)
            .build();
    Struct output = new Struct(schema);
    byte[] bytes = {1, 2};

    assertThat(StructValues.putPlain(output, schema.field("s"), "text")).isTrue();
    assertThat(StructValues.putPlain(output, schema.field("b"), bytes)).isTrue();

    assertThat(output).isEqualTo(new Struct(schema).put("s", "text").put("b", bytes));
  }

  @Test
  void anyOtherValue_isLeftToAValidatedPut() {
    Schema schema =
        SchemaBuilder.struct()
            .field("s", Schema.STRING_SCHEMA)
            .field("n", Schema.INT64_SCHEMA)
            .field("d", Decimal.schema(2))
            .field("b", Schema.BYTES_SCHEMA)
            .build();
    Struct output = new Struct(schema);

    assertThat(StructValues.putPlain(output, schema.field("s"), 42L)).isFalse();
    assertThat(StructValues.putPlain(output, schema.field("s"), null)).isFalse();
    assertThat(StructValues.putPlain(output, schema.field("n"), "42")).isFalse();
    assertThat(StructValues.putPlain(output, schema.field("d"), new byte[] {1})).isFalse();
    assertThat(StructValues.putPlain(output, schema.field("b"), "not bytes")).isFalse();
    assertThat(output.getWithoutDefault("s")).isNull();
    assertThat(output.getWithoutDefault("d")).isNull();
  }

  @Test
  void copyAllBut_copiesEveryValueAndLeavesTheActedOnFieldsEmpty() {
    Struct input = new Struct(SCHEMA).put("id", 7L).put("note", "plaintext");
    Struct output = new Struct(SCHEMA);

    assertThat(StructValues.copyAllBut(input, output, new Field[] {SCHEMA.field("note")})).isTrue();

    assertThat(output.getInt64("id")).isEqualTo(7L);
    assertThat(output.getWithoutDefault("note")).isNull();
    assertThat(input.getString("note")).isEqualTo("plaintext");
  }

  @Test
  void copyAllBut_refusesStructsOfAnotherFieldCount() {
    Schema wider =
        SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("x", Schema.INT32_SCHEMA)
            .field("y", Schema.INT32_SCHEMA)
            .build();
    Struct output = new Struct(wider);

    assertThat(StructValues.copyAllBut(new Struct(SCHEMA).put("id", 7L), output, new Field[0]))
        .isFalse();
    assertThat(output.getWithoutDefault("id")).isNull();
  }
}
