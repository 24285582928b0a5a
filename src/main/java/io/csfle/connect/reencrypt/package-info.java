/**
 * The bulk re-encryption source connector: reads topics already in Kafka up to the end offsets
 * captured at start, decrypts the configured fields with the DEK version each record was written
 * with and encrypts them with the target KEK and DEK (or encrypts a plaintext topic), exactly once
 * through Connect's source offsets. It uses the DEK, field and codec layers, the shared key groups
 * of {@code io.csfle.connect.config} and the transforms' {@code EncryptField}; it must not import
 * Tink, Jackson or KMS SDKs, and {@link io.csfle.connect.reencrypt.ReencryptErrors} is its one
 * place that maps errors to Connect exceptions.
 */
package io.csfle.connect.reencrypt;
