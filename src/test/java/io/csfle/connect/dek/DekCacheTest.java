package io.csfle.connect.dek;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.kms.ForwardingKek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.TestKekProvider;
import io.csfle.connect.kms.local.LocalKekProvider;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's and reader's DEK caches are bounded: at the bound a subject (or version) is evicted,
 * an evicted one costs exactly one store read and one KMS unwrap on its next use, and cached ones
 * cost nothing.
 */
class DekCacheTest {
  private static final DekAlgorithm GCM = DekAlgorithm.AES256_GCM;
  private static final KekSettings SETTINGS =
      new KekSettings("kek1", "local-kms", "key1", Map.of("secret", "mysecret"));

  private final InMemoryDekStore registry = new InMemoryDekStore();

  @AfterEach
  void stopStore() {
    registry.close();
  }

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final AtomicInteger kmsCalls = new AtomicInteger();
  private final KekProviders providers =
      KekProviders.of(
          new TestKekProvider(
              "local-kms",
              (id, props) ->
                  new ForwardingKek(
                      new LocalKekProvider(n -> null).create(id, props),
                      kmsCalls::incrementAndGet,
                      () -> {})));

  private EncryptionKeys writer(int maxSubjects) {
    return new EncryptionKeys(registry, providers, SETTINGS, GCM, 0, now::get, maxSubjects);
  }

  /** Registers the DEKs of {@code subjects} (through a writer of its own). */
  private void register(String... subjects) {
    EncryptionKeys setup = writer(100);
    for (String subject : subjects) {
      setup.forSubject(subject);
    }
  }

  /** A writer of {@code maxSubjects}, with "a", "b" and "c" registered, that used {@code used}. */
  private EncryptionKeys writerThatUsed(int maxSubjects, String... used) {
    register("a", "b", "c");
    EncryptionKeys writer = writer(maxSubjects);
    for (String subject : used) {
      writer.forSubject(subject);
    }
    return writer;
  }

  /** Registry and KMS calls made by {@code action}. */
  private int[] callsOf(Runnable action) {
    int registryBefore = registry.calls.get();
    int kmsBefore = kmsCalls.get();
    action.run();
    return new int[] {registry.calls.get() - registryBefore, kmsCalls.get() - kmsBefore};
  }

  @Test
  void writerAtItsBound_evictsAndReReadsAnEvictedSubjectWithOneStoreAndOneKmsCall() {
    EncryptionKeys writer = writerThatUsed(2, "a", "b");

    writer.forSubject("c"); // full: "a", the oldest and not used since, goes

    assertThat(callsOf(() -> writer.forSubject("b"))).containsExactly(0, 0);
    assertThat(callsOf(() -> writer.forSubject("c"))).containsExactly(0, 0);
    assertThat(callsOf(() -> writer.forSubject("a"))).containsExactly(1, 1);
  }

  @Test
  void writerAtItsBound_keepsTheSubjectsInUse() {
    EncryptionKeys writer = writerThatUsed(2, "a", "b", "a"); // "a" is in use; "b" is not

    writer.forSubject("c");

    assertThat(callsOf(() -> writer.forSubject("a"))).containsExactly(0, 0);
    assertThat(callsOf(() -> writer.forSubject("b"))).containsExactly(1, 1);
  }

  @Test
  void writerSteadyStateWithinItsBound_makesNoCalls() {
    EncryptionKeys writer = writerThatUsed(3, "a", "b", "c");

    assertThat(
            callsOf(
                () -> {
                  for (int i = 0; i < 3000; i++) {
                    writer.forSubject(new String[] {"a", "b", "c"}[i % 3]);
                  }
                }))
        .containsExactly(0, 0);
  }

  @Test
  void readerAtItsBound_evictsAVersionAndReReadsItOnce() {
    register("a", "b", "c");
    byte[] ct = writer(10).forSubject("a").cipher().encrypt(utf8("x"));
    DecryptionKeys reader = new DecryptionKeys(registry, providers, SETTINGS, GCM, 2);
    reader.forVersion("a", 1);
    reader.forVersion("b", 1);
    reader.forVersion("c", 1);

    assertThat(callsOf(() -> reader.forVersion("b", 1))).containsExactly(0, 0);
    assertThat(callsOf(() -> reader.forVersion("c", 1))).containsExactly(0, 0);
    int[] reRead = callsOf(() -> assertThat(decrypt(reader, "a", ct)).isEqualTo("x"));
    assertThat(reRead).containsExactly(1, 1);
    assertThat(callsOf(() -> reader.forVersion("a", 1))).containsExactly(0, 0);
  }

  @Test
  void readerWithManyMoreVersionsThanItsBound_neverHoldsMoreThanTheBound() {
    String[] subjects = new String[50];
    for (int i = 0; i < subjects.length; i++) {
      subjects[i] = "s" + i;
    }
    register(subjects);
    DecryptionKeys reader = new DecryptionKeys(registry, providers, SETTINGS, GCM, 8);

    int[] calls =
        callsOf(
            () -> {
              for (String subject : subjects) {
                reader.forVersion(subject, 1);
              }
            });

    assertThat(calls).containsExactly(50 + 1, 50); // one KEK read, then a DEK read per subject
    // The eight most recent stay: reading them again costs nothing.
    assertThat(
            callsOf(
                () -> {
                  for (int i = 42; i < 50; i++) {
                    reader.forVersion(subjects[i], 1);
                  }
                }))
        .containsExactly(0, 0);
  }

  private static String decrypt(DecryptionKeys reader, String subject, byte[] ct) {
    return new String(
        reader.forVersion(subject, 1).decrypt(ct, 0, ct.length), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
