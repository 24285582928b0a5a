package io.csfle.connect.field;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * A schema copied without its own default value: name, version, doc, parameters, optionality and
 * member schemas (defaults of members included) stay. Encryption uses it because a default is a
 * plaintext value that would otherwise travel in every record's schema.
 */
public final class SchemaWithoutDefault {
  private SchemaWithoutDefault() {}

  /** {@code schema} itself when it has no default, else a copy without it. */
  public static Schema of(Schema schema) {
    if (schema.defaultValue() == null) {
      return schema;
    }
    SchemaBuilder copy =
        switch (schema.type()) {
          case STRUCT -> {
            SchemaBuilder struct = SchemaBuilder.struct();
            schema.fields().forEach(f -> struct.field(f.name(), f.schema()));
            yield struct;
          }
          case ARRAY -> SchemaBuilder.array(schema.valueSchema());
          case MAP -> SchemaBuilder.map(schema.keySchema(), schema.valueSchema());
          default -> SchemaBuilder.type(schema.type());
        };
    return RebuiltSchemas.copyMetadata(schema, copy).build();
  }
}
