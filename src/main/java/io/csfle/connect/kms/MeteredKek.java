package io.csfle.connect.kms;

import java.util.function.Function;

/** Reports each wrap and unwrap, with its duration and outcome, to a {@link KmsCallListener}. */
final class MeteredKek implements Kek {
  private final Kek delegate;
  private final String kmsType;
  private final KmsCallListener listener;

  MeteredKek(Kek delegate, String kmsType, KmsCallListener listener) {
    this.delegate = delegate;
    this.kmsType = kmsType;
    this.listener = listener;
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    return timed("wrap", delegate::wrap, keyMaterial);
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    return timed("unwrap", delegate::unwrap, encryptedKeyMaterial);
  }

  @Override
  public void close() {
    delegate.close();
  }

  private byte[] timed(String operation, Function<byte[], byte[]> call, byte[] input) {
    long start = System.nanoTime();
    try {
      byte[] result = call.apply(input);
      listener.onCall(kmsType, operation, System.nanoTime() - start, null);
      return result;
    } catch (KmsException e) {
      listener.onCall(kmsType, operation, System.nanoTime() - start, e);
      throw e;
    }
  }
}
