/**
 * Field-level cryptography, below the transforms and the re-encryption job: encrypt one field
 * ({@link io.csfle.connect.fieldcrypto.FieldEncryptor}), decrypt one field ({@link
 * io.csfle.connect.fieldcrypto.FieldDecryptor}), re-encrypt one field ({@link
 * io.csfle.connect.fieldcrypto.FieldReencryptor}), encrypt and decrypt one header ({@link
 * io.csfle.connect.fieldcrypto.HeaderEncryptor}, {@link
 * io.csfle.connect.fieldcrypto.HeaderDecryptor}; bound to the header name as associated data), the
 * ciphertext encodings shared by all of them, one failure type ({@link
 * io.csfle.connect.fieldcrypto.FieldCryptoException}), one classification of failures ({@link
 * io.csfle.connect.fieldcrypto.FailureKind}) and the one mapping to Connect exceptions ({@link
 * io.csfle.connect.fieldcrypto.ConnectErrors}). Each per-field function is a {@code field} rewrite:
 * the walker knows nothing of crypto, and this package nothing of Connect configuration, metrics or
 * error policy.
 */
package io.csfle.connect.fieldcrypto;
