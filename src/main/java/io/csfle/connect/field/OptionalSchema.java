package io.csfle.connect.field;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * A schema copied as optional: name, version, doc, parameters, default and member schemas stay.
 * Decryption uses it when the fields of forgotten entities become null, so that a record with such
 * a null still validates against its schema.
 */
public final class OptionalSchema {
  private OptionalSchema() {}

  /** {@code schema} itself when it is optional, else an optional copy. */
  public static Schema of(Schema schema) {
    if (schema.isOptional()) {
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
    RebuiltSchemas.copyMetadata(schema, copy).optional();
    if (schema.defaultValue() != null) {
      copy.defaultValue(schema.defaultValue());
    }
    return copy.build();
  }
}
