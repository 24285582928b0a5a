package io.csfle.connect.kms;

import java.util.List;
import java.util.function.Function;

/**
 * A KEK backed by several KMS keys tried in order ({@code encrypt.alternate.kms.key.ids}): wrap
 * uses the first key that works, unwrap the first key that can unwrap the bytes. When every key
 * fails, the first key's failure is thrown with the others attached as suppressed exceptions.
 */
final class FallbackKek implements Kek {
  private final List<Kek> keks;

  FallbackKek(List<Kek> keks) {
    if (keks.isEmpty()) {
      throw new IllegalArgumentException("at least one KEK is needed");
    }
    this.keks = List.copyOf(keks);
  }

  @Override
  public byte[] wrap(byte[] keyMaterial) {
    return firstThatWorks(kek -> kek.wrap(keyMaterial));
  }

  @Override
  public byte[] unwrap(byte[] encryptedKeyMaterial) {
    return firstThatWorks(kek -> kek.unwrap(encryptedKeyMaterial));
  }

  @Override
  public void close() {
    keks.forEach(Kek::close);
  }

  private byte[] firstThatWorks(Function<Kek, byte[]> operation) {
    KmsException first = null;
    for (Kek kek : keks) {
      try {
        return operation.apply(kek);
      } catch (KmsException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    throw first;
  }
}
