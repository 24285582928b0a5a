/**
 * Turns any Connect value into self-describing plaintext bytes and back, and a Connect schema into
 * a compact JSON string and back; knows nothing of crypto or keys. {@link
 * io.csfle.connect.codec.TypedValueCodec} writes the typed plaintext (format v1, laid out in {@code
 * docs/FORMAT.md}) that the transforms then encrypt like a Confluent BYTES field, and {@link
 * io.csfle.connect.codec.SchemaCodec} writes the original field schema that travels, unencrypted,
 * in the encrypted field's schema parameter {@value io.csfle.connect.codec.SchemaCodec#PARAMETER}.
 * Imports only the Connect data API ({@code org.apache.kafka.connect.data}) and Jackson, no other
 * project package, and throws only {@link io.csfle.connect.codec.CodecException}, whose messages
 * never carry a value.
 */
package io.csfle.connect.codec;
