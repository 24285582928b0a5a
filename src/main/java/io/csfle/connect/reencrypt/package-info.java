/**
 * The bulk re-encryption source connector: reads topics already in Kafka up to the end offsets
 * captured at start, decrypts the configured fields with the DEK version each record was written
 * with and encrypts them with the target KEK and DEK (or encrypts a plaintext topic), exactly once
 * through Connect's source offsets. It uses the field-crypto layer ({@link
 * io.csfle.connect.fieldcrypto}: the per-field work, the classification of failures and their
 * mapping to Connect exceptions) and the shared key groups of {@code io.csfle.connect.config}; it
 * keeps its own error policy (errors topic, retry) and must not import Tink, Jackson or KMS SDKs.
 */
package io.csfle.connect.reencrypt;
