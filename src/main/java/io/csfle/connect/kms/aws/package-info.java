/**
 * The {@code aws-kms} KEK: AWS KMS {@code Encrypt}/{@code Decrypt} through the AWS SDK v2, with the
 * raw {@code CiphertextBlob} as {@code encryptedKeyMaterial} (Confluent's format). Owns the key ARN
 * parsing (strict, and multi-region keys used in the worker's region), the credential chain (static
 * keys, profile, STS role assumption, default chain) and the mapping of SDK errors onto {@link
 * io.csfle.connect.kms.KmsException.Reason}. This is the only package that may import {@code
 * software.amazon.awssdk}; nothing here may import Kafka or the layers above {@code kms}.
 */
package io.csfle.connect.kms.aws;
