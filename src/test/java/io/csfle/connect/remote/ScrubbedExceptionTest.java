package io.csfle.connect.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

class ScrubbedExceptionTest {
  private static final SecretScrubber SCRUBBER = SecretScrubber.of("tok-123456");

  @Test
  void chainWithServerText_everyMessageScrubbedClassesAndStackKept() {
    ProtocolException inner = new ProtocolException("Invalid status line: \"HTTP/1.1 tok-123456\"");
    IOException outer = new IOException("wrapped tok-123456", inner);

    ScrubbedException copy = ScrubbedException.of(outer, SCRUBBER);

    assertThat(copy.getMessage()).startsWith("java.io.IOException: wrapped [redacted]");
    assertThat(copy.getCause().getMessage())
        .startsWith("java.net.ProtocolException: Invalid status line")
        .doesNotContain("tok-123456");
    assertThat(copy.getCause().getCause()).isNull();
    assertThat(copy.getStackTrace()).isEqualTo(outer.getStackTrace());
  }

  @Test
  void longServerText_cut() {
    ScrubbedException copy = ScrubbedException.of(new IOException("x".repeat(10_000)), SCRUBBER);

    assertThat(copy.getMessage()).hasSizeLessThan(400);
  }

  @Test
  void null_staysNull() {
    assertThat(ScrubbedException.of(null, SCRUBBER)).isNull();
  }
}
