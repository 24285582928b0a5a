package io.csfle.connect.admin;

import io.csfle.connect.store.DekStoreAdmin;
import java.io.OutputStream;
import java.io.PrintStream;

/** Runs the key tool's {@code forget} on a store that is already open, for benchmarks. */
public final class ForgetTiming {
  private ForgetTiming() {}

  /** Forgets {@code subject} under {@code kekName} (and its -entities KEK); returns nanoseconds. */
  public static long forget(DekStoreAdmin store, String kekName, String subject) {
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    long started = System.nanoTime();
    new ForgetCommand(
            store, new AdminOutput(discard, false), "benchmark store", System::currentTimeMillis)
        .forget(kekName, subject, false, false);
    return System.nanoTime() - started;
  }
}
