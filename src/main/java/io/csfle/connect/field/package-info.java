/**
 * Field paths and the record walker: {@link io.csfle.connect.field.FieldPath} parses paths such as
 * {@code customer.email} or {@code items[*].sku}, and {@link io.csfle.connect.field.RecordRewriter}
 * finds the fields they name in Connect Structs, arrays and maps and in schemaless Maps and Lists,
 * applies a caller-supplied rewrite to each ({@link io.csfle.connect.field.SchemaRewrite} when a
 * schema is planned, a per-call {@link io.csfle.connect.field.ValueRewrite} for values), and
 * rebuilds the record and its schema (cached per input schema) without mutating the input. A Struct
 * is only read through a schema of its own shape. Knows nothing of crypto, keys or registries;
 * imports only the Connect data API ({@code org.apache.kafka.connect.data}) and Kafka's {@code
 * org.apache.kafka.common.cache}, and throws only {@link io.csfle.connect.field.FieldPathException}
 * of its own (the transforms map it to Connect's exceptions).
 */
package io.csfle.connect.field;
