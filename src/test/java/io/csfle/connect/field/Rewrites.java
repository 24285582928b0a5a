package io.csfle.connect.field;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/** Rewrites for walker tests. */
final class Rewrites {
  private Rewrites() {}

  /** Upper-cases strings and keeps every schema. */
  static final FieldRewrite UPPER =
      FieldRewrite.ofValues((path, value) -> ((String) value).toUpperCase(Locale.ROOT));

  /** Counts and records calls, delegating to {@link #UPPER}. */
  static final class Recording implements FieldRewrite {
    final AtomicInteger schemaCalls = new AtomicInteger();
    final List<String> valueCalls = new ArrayList<>();
    final List<Schema> valueSchemas = new ArrayList<>();

    @Override
    public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
      schemaCalls.incrementAndGet();
      return UPPER.rewriteSchema(path, fieldSchema);
    }

    @Override
    public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
      valueCalls.add(path + "=" + value);
      valueSchemas.add(fieldSchema);
      return UPPER.rewriteValue(path, fieldSchema, value);
    }
  }

  /** Turns INT32 fields into STRING ones ("#42"), as encryption may turn a type into BYTES. */
  static final class IntToString implements FieldRewrite {
    final AtomicInteger schemaCalls = new AtomicInteger();

    @Override
    public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
      schemaCalls.incrementAndGet();
      if (fieldSchema.type() != Schema.Type.INT32) {
        throw new IllegalArgumentException("not an INT32: " + path);
      }
      SchemaBuilder builder = SchemaBuilder.string().doc("was " + fieldSchema.type());
      return fieldSchema.isOptional() ? builder.optional().build() : builder.build();
    }

    @Override
    public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
      return "#" + value;
    }
  }
}
