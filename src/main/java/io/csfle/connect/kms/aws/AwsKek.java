package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.Classloading;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekAnswers;
import io.csfle.connect.remote.SecretScrubber;
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
  private final AwsSecrets secrets;

  AwsKek(AwsKeyArn key, KmsClient kms, List<AutoCloseable> resources, AwsSecrets secrets) {
    this.key = key;
    this.kms = kms;
    this.resources = resources;
    this.secrets = secrets;
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    SdkBytes blob =
        call(
            "Encrypt",
            keyMaterial,
            () ->
                kms.encrypt(
                        r ->
                            r.keyId(key.arn()).plaintext(SdkBytes.fromByteArrayUnsafe(keyMaterial)))
                    .ciphertextBlob());
    return KekAnswers.checkWrapped(
        "aws-kms Encrypt with key " + key.arn(),
        keyMaterial,
        blob == null ? null : blob.asByteArray());
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    SdkBytes plaintext =
        call(
            "Decrypt",
            null,
            () ->
                kms.decrypt(
                        r ->
                            r.keyId(key.arn())
                                .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(encryptedKeyMaterial)))
                    .plaintext());
    return KekAnswers.checkUnwrapped(
        "aws-kms Decrypt with key " + key.arn(),
        plaintext == null ? null : plaintext.asByteArray());
  }

  /**
   * Runs a KMS call with this plugin's classloader as context classloader: the SDK resolves some
   * services (credential providers, profile files) lazily, on the calling thread, which may belong
   * to another plugin.
   */
  private SdkBytes call(String operation, byte[] keyMaterial, Supplier<SdkBytes> request) {
    try {
      return Classloading.withPluginLoader(request);
    } catch (SdkException e) {
      SecretScrubber scrubber = secrets.scrubber();
      if (keyMaterial != null) {
        scrubber = scrubber.and(KekAnswers.scrubberFor(keyMaterial));
      }
      throw AwsErrors.classify(operation, key.arn(), e, scrubber);
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
