package io.csfle.connect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The witness itself must see what it is meant to catch. */
class LeakWatchTest {
  private static final Logger log = LoggerFactory.getLogger("io.csfle.connect.test.LeakWatchTest");

  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  @Test
  void traceLines_areCaptured() {
    log.trace("a trace line for the watch");
    assertThat(leaks.lines()).anyMatch(line -> line.contains("a trace line for the watch"));
  }

  @Test
  void markersInCapturedText_areFound() {
    String line =
        "ERROR x - value was 4111-1111 ("
            + LeakWatch.chainText(new IllegalStateException("s3cret"))
            + ")";
    assertThat(line).contains("4111-1111", "s3cret");
    assertThat(
            LeakWatch.chainText(
                new RuntimeException("outer", new IllegalStateException("inner-marker"))))
        .contains("outer", "inner-marker");
  }

  @Test
  void thrown_returnsAndRegistersTheException() {
    Throwable e =
        leaks.thrown(
            () -> {
              throw new IllegalArgumentException("no marker here");
            });
    assertThat(e).hasMessage("no marker here");
  }
}
