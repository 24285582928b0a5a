package io.csfle.connect.kms.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.protobuf.ByteString;
import io.csfle.connect.kms.Classloading;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekAnswers;
import io.csfle.connect.remote.SecretScrubber;
import java.util.function.Supplier;

/**
 * One Cloud KMS crypto key: wrap is {@code Encrypt} with empty additional authenticated data,
 * unwrap is {@code Decrypt} on the same key name, so Cloud KMS itself refuses a ciphertext of
 * another key. Closing releases the client and its channel.
 */
final class GcpKek implements Kek {
  private final GcpKeyName key;
  private final KeyManagementServiceClient kms;
  private final Supplier<SecretScrubber> secrets;

  GcpKek(GcpKeyName key, KeyManagementServiceClient kms, Supplier<SecretScrubber> secrets) {
    this.key = key;
    this.kms = kms;
    this.secrets = secrets;
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    byte[] ciphertext =
        call(
            "Encrypt",
            keyMaterial,
            () ->
                kms.encrypt(
                        EncryptRequest.newBuilder()
                            .setName(key.name())
                            .setPlaintext(ByteString.copyFrom(keyMaterial))
                            .build())
                    .getCiphertext()
                    .toByteArray());
    return KekAnswers.checkWrapped(
        "gcp-kms Encrypt with key " + key.name(), keyMaterial, ciphertext);
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    byte[] plaintext =
        call(
            "Decrypt",
            null,
            () ->
                kms.decrypt(
                        DecryptRequest.newBuilder()
                            .setName(key.name())
                            .setCiphertext(ByteString.copyFrom(encryptedKeyMaterial))
                            .build())
                    .getPlaintext()
                    .toByteArray());
    return KekAnswers.checkUnwrapped("gcp-kms Decrypt with key " + key.name(), plaintext);
  }

  /** Credentials refresh lazily on the calling thread, which may belong to another plugin. */
  private byte[] call(String operation, byte[] keyMaterial, Supplier<byte[]> request) {
    try {
      return Classloading.withPluginLoader(request);
    } catch (ApiException e) {
      SecretScrubber scrubber = secrets.get();
      if (keyMaterial != null) {
        scrubber = scrubber.and(KekAnswers.scrubberFor(keyMaterial));
      }
      throw GcpErrors.classify(operation, key, e, scrubber);
    }
  }

  @Override
  public void close() {
    try {
      kms.close();
    } catch (RuntimeException e) {
      // Nothing useful to do: the KEK is being discarded either way.
    }
  }

  /** True once {@link #close} shut the client's gRPC channel down. */
  boolean isClosed() {
    return kms.isShutdown();
  }

  @Override
  public String toString() {
    return "GcpKek[" + key.name() + "]";
  }
}
