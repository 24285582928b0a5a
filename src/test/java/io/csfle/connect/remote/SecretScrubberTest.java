package io.csfle.connect.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {
  private static final String TOKEN = "s3cr3t/t0ken+with=signs";

  private final SecretScrubber scrubber = SecretScrubber.of(TOKEN, "alice:pa ss", "pa ss");

  @Test
  void rawSecret_isRedacted() {
    assertThat(scrubber.scrub("bad token " + TOKEN + " here"))
        .isEqualTo("bad token [redacted] here");
  }

  @Test
  void encodedForms_areRedacted() {
    byte[] basic = "alice:pa ss".getBytes(StandardCharsets.UTF_8);
    List<String> echoes =
        List.of(
            URLEncoder.encode(TOKEN, StandardCharsets.UTF_8),
            URLEncoder.encode(TOKEN, StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT),
            "Basic " + Base64.getEncoder().encodeToString(basic),
            Base64.getUrlEncoder().withoutPadding().encodeToString(basic),
            "alice:pa%20ss",
            "s3cr3t\\/t0ken+with=signs");
    for (String echo : echoes) {
      assertThat(scrubber.leaks("echo: " + echo)).as(echo).isTrue();
      assertThat(scrubber.scrub("echo: " + echo)).as(echo).doesNotContain("s3cr3t", "pa ss");
    }
  }

  @Test
  void serverText_scrubsBeforeCutting() {
    String padding = "x".repeat(SecretScrubber.MAX_SERVER_TEXT - 4);
    String text = scrubber.serverText(padding + TOKEN);
    assertThat(text).doesNotContain("s3cr", "s3c").contains("[red");
  }

  @Test
  void serverText_isBoundedAndSaysHowMuchWasLeftOut() {
    String text = SecretScrubber.NONE.serverText("y".repeat(1_000_000));
    assertThat(text)
        .hasSizeLessThan(SecretScrubber.MAX_SERVER_TEXT + 40)
        .endsWith("more characters)");
  }

  @Test
  void serverText_replacesLineBreaks_soNoLogLineCanBeForged() {
    assertThat(SecretScrubber.NONE.serverText("oops\r\n[12:00:00] INFO forged\u2028x\u0000"))
        .doesNotContain("\n", "\r", "\u2028", "\u0000");
  }

  @Test
  void nullAndEmptySecrets_areIgnored() {
    SecretScrubber none = SecretScrubber.of(java.util.Arrays.asList(null, ""));
    assertThat(none.scrub("plain text")).isEqualTo("plain text");
    assertThat(none.serverText(null)).isNull();
  }

  @Test
  void longerSecret_isRemovedWhole_whenItContainsAShorterOne() {
    SecretScrubber both = SecretScrubber.of("abc", "xxabcxx");
    assertThat(both.scrub("[xxabcxx]")).isEqualTo("[[redacted]]");
  }

  @Test
  void and_combinesSecrets() {
    SecretScrubber combined = SecretScrubber.of("one-secret").and(SecretScrubber.of("two-secret"));
    assertThat(combined.scrub("one-secret two-secret")).isEqualTo("[redacted] [redacted]");
  }
}
