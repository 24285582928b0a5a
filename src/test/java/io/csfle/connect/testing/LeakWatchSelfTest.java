package io.csfle.connect.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A watch that sees a leak must fail the class it watches. */
class LeakWatchSelfTest {
  private static final Logger log = LoggerFactory.getLogger("io.csfle.connect.test.LeakWatchSelf");

  @Test
  void plaintextInADebugLine_failsTheFinalCheck() {
    LeakWatch watch = new LeakWatch().plaintext("alice@example.com");
    watch.beforeAll(null);
    log.debug("value {}", "alice@example.com");
    assertThatThrownBy(() -> watch.afterAll(null))
        .hasMessageContaining("plaintext 'alice@example.com'");
  }

  @Test
  void secretInAnExceptionCause_failsTheFinalCheck() {
    LeakWatch watch = new LeakWatch().secret("tok-123");
    watch.beforeAll(null);
    log.info("a harmless line");
    watch.exception(new IllegalStateException("outer", new RuntimeException("echo tok-123")));
    assertThatThrownBy(() -> watch.afterAll(null)).hasMessageContaining("secret 'tok-123'");
  }

  @Test
  void keyBytesAsHex_failTheFinalCheck() {
    byte[] key = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    LeakWatch watch = new LeakWatch().keyBytes(key);
    watch.beforeAll(null);
    log.trace("key {}", java.util.HexFormat.of().formatHex(key));
    assertThatThrownBy(() -> watch.afterAll(null)).hasMessageContaining("key bytes (hex)");
  }

  @Test
  void nothingCaptured_failsTheFinalCheck() {
    LeakWatch watch = new LeakWatch();
    watch.beforeAll(null);
    assertThatThrownBy(() -> watch.afterAll(null)).hasMessageContaining("captured no log line");
  }

  @Test
  void secretInAJavaUtilLoggingLine_failsTheFinalCheck() {
    LeakWatch watch = new LeakWatch().secret("jul-token-9");
    watch.beforeAll(null);
    java.util.logging.Logger.getLogger("io.grpc.test").finest("echo jul-token-9");
    assertThatThrownBy(() -> watch.afterAll(null)).hasMessageContaining("secret 'jul-token-9'");
  }
}
