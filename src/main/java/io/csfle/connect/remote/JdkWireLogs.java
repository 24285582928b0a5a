package io.csfle.connect.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the JDK's own HTTP debug loggers at INFO. At FINE, {@code java.net.http}'s internal debug
 * logger prints response status lines as the server sent them, and {@code HttpURLConnection}'s
 * prints request and response headers: a server that echoes a token in its status line or in a
 * {@code Location} header would put the token into the worker's log, past every scrubber of ours.
 * These loggers exist to debug the JDK itself; a worker that enables FINE logging through
 * java.util.logging for any other reason must not leak credentials through them.
 *
 * <p>Only these named loggers are touched, and only when they are set finer than INFO or not at
 * all. When {@code System.Logger} is routed to another logging framework (log4j-jpl, say), that
 * framework's configuration decides instead, and it should keep these names at INFO too.
 */
public final class JdkWireLogs {
  private static final List<String> NAMES =
      List.of(
          "jdk.internal.httpclient.debug",
          "jdk.internal.httpclient.hpack.debug",
          "sun.net.www.protocol.http.HttpURLConnection");

  // java.util.logging holds loggers weakly: a collected logger would forget its level.
  private static final List<Logger> PINNED = new ArrayList<>();

  private JdkWireLogs() {}

  /** Pins the JDK's wire-debug loggers at INFO; cheap and idempotent. */
  public static synchronized void keepQuiet() {
    if (!PINNED.isEmpty()) {
      return;
    }
    for (String name : NAMES) {
      Logger logger = Logger.getLogger(name);
      if (logger.getLevel() == null || logger.getLevel().intValue() < Level.INFO.intValue()) {
        logger.setLevel(Level.INFO);
      }
      PINNED.add(logger);
    }
  }
}
