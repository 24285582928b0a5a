/**
 * The DEK registry: the KEK/DEK data model of Confluent's DEK Registry API, the {@link
 * io.csfle.connect.registry.DekRegistry} interface, and its REST client. Wrapped key material only:
 * this package never unwraps a DEK. It may import {@code crypto} (for algorithm names) but not
 * {@code kms}, {@code dek}, {@code field} or {@code transforms}, and no Kafka classes, except in
 * the embedded store ({@code registry.kafka}), which keeps the same model in a Kafka topic.
 */
package io.csfle.connect.registry;
