package io.csfle.connect.reencrypt;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the job-wide {@link JobCompletionWatcher} on its own daemon thread, every {@code interval},
 * until the job is complete or the connector stops. A failed check is logged and tried again.
 */
final class JobWatcherThread {
  // The connector's logger: these lines keep the category operators already filter on.
  private static final Logger log = LoggerFactory.getLogger(ReencryptSourceConnector.class);

  private final JobCompletionWatcher watcher;
  private final ScheduledExecutorService executor;

  private JobWatcherThread(JobCompletionWatcher watcher, ScheduledExecutorService executor) {
    this.watcher = watcher;
    this.executor = executor;
  }

  static JobWatcherThread start(JobCompletionWatcher watcher, String name, Duration interval) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "reencrypt-job-watcher-" + name);
              thread.setDaemon(true);
              return thread;
            });
    executor.scheduleWithFixedDelay(
        () -> checkQuietly(watcher, executor),
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return new JobWatcherThread(watcher, executor);
  }

  private static void checkQuietly(
      JobCompletionWatcher watcher, ScheduledExecutorService executor) {
    try {
      watcher.check();
      if (watcher.isFinished()) {
        executor.shutdown();
      }
    } catch (RuntimeException e) {
      log.warn("Job watcher: check failed ({}); will try again", e.getClass().getSimpleName());
    }
  }

  JobCompletionWatcher watcher() {
    return watcher;
  }

  /** Stops the thread; closes the watcher's clients only once the thread no longer uses them. */
  void stop() {
    executor.shutdownNow();
    boolean stopped = false;
    try {
      stopped = executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopped) {
      watcher.close(); // its clients are used only by the watcher's thread
    } else {
      log.warn("Job watcher did not stop within 10 s; leaving its clients to it");
    }
  }
}
