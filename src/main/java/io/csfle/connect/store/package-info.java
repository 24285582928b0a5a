/**
 * Where KEKs and wrapped DEKs are kept: the KEK/DEK data model of Confluent's DEK Registry API, the
 * data-plane {@link io.csfle.connect.store.DekStore} and the key operators' {@link
 * io.csfle.connect.store.DekStoreAdmin}. Two stores implement both: {@code store.rest}, a client of
 * a registry server, and {@code store.kafka}, the embedded store on a compacted Kafka topic. Every
 * DEK call names its {@link io.csfle.connect.store.DekSubject} (KEK, subject, algorithm); the tests
 * hold one contract every store runs ({@code DekStoreContract}). Wrapped key material only: this
 * package never unwraps a DEK. It may import {@code crypto} (for algorithm names) but not {@code
 * kms}, {@code dek}, {@code field} or {@code transforms}.
 */
package io.csfle.connect.store;
