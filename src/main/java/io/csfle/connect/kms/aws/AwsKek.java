package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.Classloading;
import io.csfle.connect.kms.Kek;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * One KMS key: wrap is {@code Encrypt} without encryption context, unwrap is {@code Decrypt} with
 * the key ARN set, so KMS itself refuses a blob wrapped under another key. Implements {@link
 * AutoCloseable}: closing releases the KMS client, its HTTP client and any STS client and
 * credentials provider built for it.
 */
final class AwsKek implements Kek {
  private final AwsKeyArn key;
  private final KmsClient kms;
  private final List<AutoCloseable> resources;

  AwsKek(AwsKeyArn key, KmsClient kms, List<AutoCloseable> resources) {
    this.key = key;
    this.kms = kms;
    this.resources = resources;
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    return call(
        "Encrypt",
        () ->
            kms.encrypt(
                    r -> r.keyId(key.arn()).plaintext(SdkBytes.fromByteArrayUnsafe(keyMaterial)))
                .ciphertextBlob()
                .asByteArray());
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    return call(
        "Decrypt",
        () ->
            kms.decrypt(
                    r ->
                        r.keyId(key.arn())
                            .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(encryptedKeyMaterial)))
                .plaintext()
                .asByteArray());
  }

  /**
   * Runs a KMS call with this plugin's classloader as context classloader: the SDK resolves some
   * services (credential providers, profile files) lazily, on the calling thread, which may belong
   * to another plugin.
   */
  private byte[] call(String operation, Supplier<byte[]> request) {
    try {
      return Classloading.withPluginLoader(request);
    } catch (SdkException e) {
      throw AwsErrors.classify(operation, key.arn(), e);
    }
  }

  @Override
  public void close() {
    closeQuietly(kms);
    for (AutoCloseable resource : resources) {
      closeQuietly(resource);
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // Nothing useful to do: the KEK is being discarded either way.
    }
  }

  @Override
  public String toString() {
    return "AwsKek[" + key.arn() + "]";
  }
}
