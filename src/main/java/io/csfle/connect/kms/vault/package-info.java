/**
 * The {@code hcvault} KEK: a HashiCorp Vault (or OpenBao) Transit key called over plain HTTP with
 * {@code java.net.http} and Jackson, byte-compatible with Confluent's clients ({@code
 * encryptedKeyMaterial} is the UTF-8 {@code vault:v1:...} string). Token, AppRole and namespace
 * auth, optional PEM CA trust, and classification of Vault's replies into {@link
 * io.csfle.connect.kms.KmsException.Reason}s. It must not import any Vault SDK, Kafka or anything
 * above the KEK seam; it does not retry (a decorator does).
 */
package io.csfle.connect.kms.vault;
