package io.csfle.connect.kms.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.KeyManagementServiceClient;
import com.google.protobuf.ByteString;
import io.csfle.connect.kms.Classloading;
import io.csfle.connect.kms.Kek;
import java.util.function.Supplier;

/**
 * One Cloud KMS crypto key: wrap is {@code Encrypt} with empty additional authenticated data,
 * unwrap is {@code Decrypt} on the same key name, so Cloud KMS itself refuses a ciphertext of
 * another key. Closing releases the client and its channel.
 */
final class GcpKek implements Kek {
  private final GcpKeyName key;
  private final KeyManagementServiceClient kms;

  GcpKek(GcpKeyName key, KeyManagementServiceClient kms) {
    this.key = key;
    this.kms = kms;
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    return call(
        "Encrypt",
        () ->
            kms.encrypt(
                    EncryptRequest.newBuilder()
                        .setName(key.name())
                        .setPlaintext(ByteString.copyFrom(keyMaterial))
                        .build())
                .getCiphertext()
                .toByteArray());
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    return call(
        "Decrypt",
        () ->
            kms.decrypt(
                    DecryptRequest.newBuilder()
                        .setName(key.name())
                        .setCiphertext(ByteString.copyFrom(encryptedKeyMaterial))
                        .build())
                .getPlaintext()
                .toByteArray());
  }

  /** Credentials refresh lazily on the calling thread, which may belong to another plugin. */
  private byte[] call(String operation, Supplier<byte[]> request) {
    try {
      return Classloading.withPluginLoader(request);
    } catch (ApiException e) {
      throw GcpErrors.classify(operation, key, e);
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
