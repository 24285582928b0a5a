/**
 * Turns any Connect value into self-describing plaintext bytes and back; knows nothing of crypto
 * or keys. {@link io.csfle.connect.codec.TypedValueCodec} writes the typed plaintext (format v1,
 * laid out in {@code docs/FORMAT.md}) that the transforms then encrypt like a Confluent BYTES
 * field. Imports only the Connect data API ({@code org.apache.kafka.connect.data}) and Jackson, no
 * other project package, and throws only {@link io.csfle.connect.codec.CodecException}, whose
 * messages never carry a value.
 */
package io.csfle.connect.codec;
