package io.csfle.connect.field;

import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Container schemas rebuilt around rewritten parts, keeping name, version, doc, parameters and
 * optionality. The default value is dropped: it is a value of the old schema, and only the
 * (possibly non-deterministic) rewrite could convert it. Nothing is lost for records, because a
 * defaulted value is materialised and rewritten when read (see {@link StructPlan}).
 */
final class RebuiltSchemas {
  private RebuiltSchemas() {}

  /** {@code schema} with the fields whose {@code changedFieldSchemas} entry is set replaced. */
  static Schema struct(Schema schema, Schema[] changedFieldSchemas) {
    SchemaBuilder builder = copyMetadata(schema, SchemaBuilder.struct());
    for (Field field : schema.fields()) {
      Schema changedSchema = changedFieldSchemas[field.index()];
      builder.field(field.name(), changedSchema != null ? changedSchema : field.schema());
    }
    return builder.build();
  }

  /** The ARRAY {@code schema} with elements of {@code elementSchema}. */
  static Schema array(Schema schema, Schema elementSchema) {
    return copyMetadata(schema, SchemaBuilder.array(elementSchema)).build();
  }

  /** The MAP {@code schema} with the same keys and values of {@code valueSchema}. */
  static Schema map(Schema schema, Schema valueSchema) {
    return copyMetadata(schema, SchemaBuilder.map(schema.keySchema(), valueSchema)).build();
  }

  static SchemaBuilder copyMetadata(Schema schema, SchemaBuilder builder) {
    if (schema.name() != null) {
      builder.name(schema.name());
    }
    if (schema.version() != null) {
      builder.version(schema.version());
    }
    if (schema.doc() != null) {
      builder.doc(schema.doc());
    }
    Map<String, String> parameters = schema.parameters();
    if (parameters != null && !parameters.isEmpty()) {
      builder.parameters(parameters);
    }
    if (schema.isOptional()) {
      builder.optional();
    }
    return builder;
  }
}
