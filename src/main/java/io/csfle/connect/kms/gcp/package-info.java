/**
 * The {@code gcp-kms} KEK: Google Cloud KMS {@code Encrypt}/{@code Decrypt} through the Cloud KMS
 * client over gRPC, with empty additional authenticated data and the raw ciphertext as {@code
 * encryptedKeyMaterial} (Confluent's format). Owns the key name parsing, the credentials (service
 * account from properties or a JSON file, else Application Default Credentials) and the mapping of
 * gRPC status codes onto {@link io.csfle.connect.kms.KmsException.Reason}. This is the only package
 * that may import the Google Cloud, gax, auth, protobuf and gRPC libraries; nothing here may import
 * Kafka or the layers above {@code kms}.
 */
package io.csfle.connect.kms.gcp;
