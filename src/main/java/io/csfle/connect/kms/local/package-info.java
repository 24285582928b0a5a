/**
 * The {@code local-kms} KEK: AES-128-GCM under a key derived from a shared secret with HKDF-SHA256,
 * byte-compatible with Confluent's local KMS. For development and for deployments that manage the
 * secret themselves; it must not import any cloud SDK.
 */
package io.csfle.connect.kms.local;
