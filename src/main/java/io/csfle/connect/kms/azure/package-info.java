/**
 * The {@code azure-kms} KEK: Azure Key Vault RSA-OAEP-256 {@code encrypt}/{@code decrypt} through
 * the Azure SDK's {@code CryptographyClient}, with the raw ciphertext, or with {@code
 * key.version.save=true} the ASCII prefix {@code azure:v1:<key version>:} before it, as {@code
 * encryptedKeyMaterial} (Confluent's formats; unwrap accepts both). This is the only package that
 * may import {@code com.azure}; nothing here may import Kafka or the layers above {@code kms}.
 */
package io.csfle.connect.kms.azure;
