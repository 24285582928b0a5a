/**
 * Field ciphers, the DEK key-proto format and the ciphertext framing, exactly as Confluent's CSFLE
 * writes them. This package knows nothing of Kafka, HTTP, registries or KMS: it turns key material
 * and bytes into bytes. It must not import {@code org.apache.kafka}, nor any other project package.
 */
package io.csfle.connect.crypto;
