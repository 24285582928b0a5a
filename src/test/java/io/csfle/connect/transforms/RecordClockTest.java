package io.csfle.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class RecordClockTest {
  private static final long MS = 1_000_000L;

  /** A wall clock the test sets, counting its reads. */
  private static final class WallClock implements LongSupplier {
    long millis = 1_700_000_000_000L;
    int reads;

    @Override
    public long getAsLong() {
      reads++;
      return millis;
    }
  }

  // JUnit makes a new instance for every test, so each test has clocks of its own.
  private final WallClock wall = new WallClock();
  private final RecordClock clock = new RecordClock(wall);

  @Test
  void insideARecord_givesItsStartWithoutReadingTheWallClockAgain() {
    clock.startRecord(5_000 * MS);
    int readsAtStart = wall.reads;

    wall.millis += 60_000; // the wall clock moves on; the record's time does not
    assertThat(clock.getAsLong()).isEqualTo(1_700_000_000_000L);
    assertThat(clock.getAsLong()).isEqualTo(1_700_000_000_000L);
    assertThat(wall.reads).isEqualTo(readsAtStart);
  }

  @Test
  void laterRecords_advanceByTheirNanoTime_withinOneAnchor() {
    clock.startRecord(5_000 * MS);
    clock.endRecord();
    int reads = wall.reads;

    clock.startRecord(5_000 * MS + 250 * MS + 999_999);
    assertThat(clock.getAsLong()).isEqualTo(1_700_000_000_250L);
    clock.endRecord();
    assertThat(wall.reads).isEqualTo(reads);
  }

  @Test
  void aWallClockChange_isSeenWithinASecond() {
    clock.startRecord(0);
    clock.endRecord();

    wall.millis += 3_600_000; // set forward an hour
    clock.startRecord(RecordClock.RESYNC_NANOS - 1);
    assertThat(clock.getAsLong()).isEqualTo(1_700_000_000_999L);
    clock.endRecord();
    clock.startRecord(RecordClock.RESYNC_NANOS);
    assertThat(clock.getAsLong()).isEqualTo(1_700_003_600_000L);
    clock.endRecord();
  }

  @Test
  void aNanoTimeBeforeTheAnchor_reanchorsInsteadOfGoingBack() {
    clock.startRecord(10_000 * MS);
    clock.endRecord();

    wall.millis += 5;
    clock.startRecord(9_000 * MS);
    assertThat(clock.getAsLong()).isEqualTo(1_700_000_000_005L);
  }

  @Test
  void outsideARecord_readsTheWallClock() {
    assertThat(clock.getAsLong()).isEqualTo(1_700_000_000_000L);

    clock.startRecord(0);
    clock.endRecord();
    wall.millis += 42;
    assertThat(clock.getAsLong()).isEqualTo(1_700_000_000_042L);
  }

  @Test
  void anotherThread_duringARecord_readsTheWallClock() throws Exception {
    clock.startRecord(0);
    wall.millis += 7;

    AtomicLong seen = new AtomicLong();
    inAnotherThread(() -> seen.set(clock.getAsLong()));

    assertThat(seen.get()).isEqualTo(1_700_000_000_007L);
    assertThat(clock.getAsLong()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void anotherThreadEndingItsRecord_leavesThisThreadsRecordAlone() throws Exception {
    clock.startRecord(0);
    inAnotherThread(clock::endRecord);
    wall.millis += 7;

    assertThat(clock.getAsLong()).isEqualTo(1_700_000_000_000L);
  }

  private static void inAnotherThread(Runnable action) throws InterruptedException {
    Thread other = new Thread(action);
    other.start();
    other.join();
  }
}
