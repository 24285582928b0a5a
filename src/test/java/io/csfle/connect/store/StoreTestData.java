package io.csfle.connect.store;

import io.csfle.connect.crypto.DekAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The KEKs and DEKs the store tests register: one place for every store's tests. */
public final class StoreTestData {
  public static final DekAlgorithm GCM = DekAlgorithm.AES256_GCM;

  private StoreTestData() {}

  public static NewKek kek(String name) {
    return new NewKek(name, "local-kms", "mykey", Map.of(), null, false);
  }

  public static NewKek sharedKek(String name) {
    return new NewKek(name, "local-kms", "mykey", Map.of(), null, true);
  }

  /** The AES256_GCM DEK {@code subject} under KEK {@code k1}, the KEK most tests use. */
  public static DekSubject k1(String subject) {
    return new DekSubject("k1", subject, GCM);
  }

  /** Version {@code version} of {@link #k1} {@code subject}, with {@link #wrapped} bytes. */
  public static NewDek dek(String subject, int version) {
    return new NewDek(k1(subject), version, wrapped(subject, version));
  }

  /** Stand-in for KEK-wrapped key bytes: distinct per subject and version, never unwrapped. */
  public static byte[] wrapped(String subject, int version) {
    byte[] bytes = new byte[48];
    byte[] seed = (subject + "#" + version).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (seed[i % seed.length] * 31 + i);
    }
    return bytes;
  }
}
