/**
 * The {@code EncryptField} and {@code DecryptField} single message transforms, {@code
 * EncryptHeaders} and {@code DecryptHeaders} for record headers, and their configuration: thin
 * users of {@link io.csfle.connect.fieldcrypto}, which does the per-field and per-header
 * cryptography and maps every lower layer's exception to a Connect exception.
 */
package io.csfle.connect.transforms;
