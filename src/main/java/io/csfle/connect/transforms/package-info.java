/**
 * The {@code EncryptField} and {@code DecryptField} single message transforms and their
 * configuration: thin users of {@link io.csfle.connect.fieldcrypto}, which does the per-field
 * cryptography and maps every lower layer's exception to a Connect exception.
 */
package io.csfle.connect.transforms;
