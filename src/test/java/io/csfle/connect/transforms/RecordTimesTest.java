package io.csfle.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecordTimesTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private final RecordTimes times = new RecordTimes(clock::get);

  @Test
  void openFirstWindow_reportsItsAverageAndMaximum() {
    times.record(2_000);
    times.record(7_000);
    times.record(3_000);

    assertThat(times.windowAverageMicros()).isEqualTo(4.0);
    assertThat(times.windowMaxMicros()).isEqualTo(7.0);
  }

  @Test
  void noRecordYet_reportsNaN() {
    assertThat(times.windowAverageMicros()).isNaN();
    assertThat(times.windowMaxMicros()).isNaN();
    assertThat(times.averageMicros()).isZero();
    assertThat(times.maxMicros()).isZero();
  }

  @Test
  void readAfterThirtySeconds_closesTheWindowAndReportsItUntilTheNextCloses() {
    times.record(9_000);
    times.record(1_000);
    clock.addAndGet(30 * SECOND);

    assertThat(times.windowAverageMicros()).isEqualTo(5.0);
    // Records of the new window do not show until it closes.
    times.record(40_000);
    times.record(20_000);
    clock.addAndGet(29 * SECOND);
    assertThat(times.windowAverageMicros()).isEqualTo(5.0);
    assertThat(times.windowMaxMicros()).isEqualTo(9.0);

    clock.addAndGet(SECOND);
    assertThat(times.windowAverageMicros()).isEqualTo(30.0);
    assertThat(times.windowMaxMicros()).isEqualTo(40.0);
  }

  @Test
  void smallerMaximumInTheNextWindow_replacesTheLargerOne() {
    times.record(50_000);
    clock.addAndGet(30 * SECOND);
    assertThat(times.windowMaxMicros()).isEqualTo(50.0);
    times.record(3_000);
    clock.addAndGet(30 * SECOND);

    assertThat(times.windowMaxMicros()).isEqualTo(3.0);
    assertThat(times.windowAverageMicros()).isEqualTo(3.0);
    // The totals since start keep both windows.
    assertThat(times.maxMicros()).isEqualTo(50.0);
    assertThat(times.averageMicros()).isEqualTo(26.5);
  }

  @Test
  void windowWithoutRecords_reportsNaNThenTheNextBusyWindow() {
    times.record(4_000);
    clock.addAndGet(30 * SECOND);
    assertThat(times.windowAverageMicros()).isEqualTo(4.0);

    clock.addAndGet(45 * SECOND);
    assertThat(times.windowAverageMicros()).isNaN();
    assertThat(times.windowMaxMicros()).isNaN();

    times.record(6_000);
    clock.addAndGet(30 * SECOND);
    assertThat(times.windowAverageMicros()).isEqualTo(6.0);
    assertThat(times.windowMaxMicros()).isEqualTo(6.0);
  }

  @Test
  void readsSpacedFartherThanTheWindow_reportEverythingSinceTheLastClose() {
    times.record(1_000);
    clock.addAndGet(30 * SECOND);
    assertThat(times.windowAverageMicros()).isEqualTo(1.0);
    times.record(2_000);
    clock.addAndGet(100 * SECOND);
    times.record(8_000);
    clock.addAndGet(100 * SECOND);

    assertThat(times.windowAverageMicros()).isEqualTo(5.0);
    assertThat(times.windowMaxMicros()).isEqualTo(8.0);
  }

  @Test
  void concurrentRecordersAndReaders_loseNoRecord() throws Exception {
    int threads = 4;
    int perThread = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> recorders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long slowest = (t + 1) * 1_000_000L;
        recorders.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread - 1; i++) {
                    times.record(1_000);
                  }
                  times.record(slowest);
                  return null;
                }));
      }
      Future<?> reader =
          pool.submit(
              () -> {
                start.await();
                while (!recorders.stream().allMatch(Future::isDone)) {
                  times.windowAverageMicros();
                  times.windowMaxMicros();
                }
                return null;
              });
      start.countDown();
      for (Future<?> recorder : recorders) {
        recorder.get(60, TimeUnit.SECONDS);
      }
      reader.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    long records = (long) threads * perThread;
    double sumMicros = threads * (perThread - 1) * 1.0 + (1 + 2 + 3 + 4) * 1_000.0;
    assertThat(times.windowAverageMicros()).isEqualTo(sumMicros / records);
    assertThat(times.windowMaxMicros()).isEqualTo(4_000.0);
    assertThat(times.averageMicros()).isEqualTo(sumMicros / records);
    assertThat(times.maxMicros()).isEqualTo(4_000.0);
  }

  @Test
  void concurrentRecordersAcrossAClose_countEachRecordInExactlyOneWindow() throws Exception {
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch halfway = new CountDownLatch(2);
    CountDownLatch closed = new CountDownLatch(1);
    try {
      List<Future<?>> recorders = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        recorders.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    times.record(1_000);
                  }
                  halfway.countDown();
                  closed.await();
                  for (int i = 0; i < perThread; i++) {
                    times.record(3_000);
                  }
                  return null;
                }));
      }
      assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
      clock.addAndGet(30 * SECOND);
      assertThat(times.windowAverageMicros()).isEqualTo(1.0);
      closed.countDown();
      for (Future<?> recorder : recorders) {
        recorder.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    clock.addAndGet(30 * SECOND);

    assertThat(times.windowAverageMicros()).isEqualTo(3.0);
    assertThat(times.windowMaxMicros()).isEqualTo(3.0);
    assertThat(times.averageMicros()).isEqualTo(2.0);
  }
}
