package io.csfle.connect.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.Executable;

/**
 * The adversarial suite's witness: while a test class runs, every logger logs at the most verbose
 * level into memory (the console keeps its usual levels), log4j and java.util.logging alike (gRPC
 * and some SDK parts log through the latter), and after the class a final check scans every
 * captured line, every logged throwable and every exception the tests handed in for the markers the
 * tests registered: plaintext values, configured secrets and DEK bytes (raw, hex and base64). Any
 * hit fails the class and says which marker leaked where.
 *
 * <pre>{@code
 * @RegisterExtension static final LeakWatch leaks = new LeakWatch();
 * ...
 * leaks.plaintext("alice@example.com");
 * leaks.secret(token);
 * Throwable e = leaks.thrown(() -> transform.apply(record));
 * }</pre>
 *
 * Register it as a static field so that one capture spans the whole class.
 */
public final class LeakWatch implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> markers = new LinkedHashMap<>();
  private final ConcurrentLinkedQueue<String> captured = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Throwable> exceptions = new ConcurrentLinkedQueue<>();
  private final List<LoggerConfig> changed = new ArrayList<>();
  private Appender appender;
  private java.util.logging.Handler julHandler;
  private java.util.logging.Level julRootLevel;

  /** A value that must never appear in a log line or an exception. */
  public synchronized LeakWatch plaintext(String value) {
    markers.put(value, "plaintext");
    return this;
  }

  /** A configured credential: it must never appear, in any of its usual encodings. */
  public synchronized LeakWatch secret(String value) {
    markers.put(value, "secret");
    markers.put(
        Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)), "secret");
    return this;
  }

  /** Key bytes: never in a log or exception, raw, hex or base64. */
  public synchronized LeakWatch keyBytes(byte[] key) {
    markers.put(new String(key, StandardCharsets.ISO_8859_1), "key bytes (raw)");
    markers.put(HexFormat.of().formatHex(key), "key bytes (hex)");
    markers.put(HexFormat.of().withUpperCase().formatHex(key), "key bytes (hex)");
    markers.put(Base64.getEncoder().encodeToString(key), "key bytes (base64)");
    markers.put(Base64.getUrlEncoder().withoutPadding().encodeToString(key), "key bytes (base64)");
    return this;
  }

  /** Hands an exception in for the final scan (its whole chain is scanned) and returns it. */
  public <T extends Throwable> T exception(T e) {
    if (e != null) {
      exceptions.add(e);
    }
    return e;
  }

  /**
   * Runs {@code action}, which must throw, and returns what it threw after handing it in.
   *
   * @throws AssertionError when it does not throw
   */
  public Throwable thrown(Executable action) {
    try {
      action.execute();
    } catch (Throwable e) {
      return exception(e);
    }
    throw new AssertionError("expected an exception");
  }

  /** The log lines captured so far (message and thrown chain), for tests that look for one. */
  public List<String> lines() {
    return List.copyOf(captured);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LoggerContext logging = (LoggerContext) LogManager.getContext(false);
    Configuration config = logging.getConfiguration();
    appender = new CapturingAppender(captured);
    appender.start();
    config.addAppender(appender);
    // The root is in getLoggers() too on some versions: visit each config once.
    java.util.Set<LoggerConfig> loggers =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    loggers.addAll(config.getLoggers().values());
    loggers.add(config.getRootLogger());
    for (LoggerConfig logger : loggers) {
      Level usual = logger.getLevel();
      // The console keeps what it showed before; memory gets everything.
      for (Appender console : List.copyOf(logger.getAppenders().values())) {
        logger.removeAppender(console.getName());
        logger.addAppender(console, usual, null);
      }
      logger.addAppender(appender, Level.ALL, null);
      logger.setLevel(Level.ALL);
      changed.add(logger);
    }
    logging.updateLoggers();
    captureJavaUtilLogging();
  }

  private void captureJavaUtilLogging() {
    java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
    java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();
    julHandler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            StringBuilder line = new StringBuilder();
            line.append(record.getLevel()).append(' ').append(record.getLoggerName());
            line.append(" - ").append(formatter.formatMessage(record));
            if (record.getThrown() != null) {
              line.append('\n').append(chainText(record.getThrown()));
            }
            captured.add(line.toString());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    julHandler.setLevel(java.util.logging.Level.ALL);
    julRootLevel = root.getLevel();
    root.addHandler(julHandler);
    root.setLevel(java.util.logging.Level.ALL);
  }

  private void releaseJavaUtilLogging() {
    java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
    root.removeHandler(julHandler);
    root.setLevel(julRootLevel);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LoggerContext logging = (LoggerContext) LogManager.getContext(false);
    logging.reconfigure(); // back to log4j2.properties
    releaseJavaUtilLogging();
    appender.stop();
    List<String> leaks = new ArrayList<>();
    Map<String, String> snapshot;
    synchronized (this) {
      snapshot = new LinkedHashMap<>(markers);
    }
    for (String line : captured) {
      scan("log line", line, snapshot, leaks);
    }
    for (Throwable e : exceptions) {
      scan("exception " + e.getClass().getName(), chainText(e), snapshot, leaks);
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size()
              + " leak(s) in "
              + captured.size()
              + " log lines and "
              + exceptions.size()
              + " exceptions:\n"
              + String.join("\n", leaks.subList(0, Math.min(20, leaks.size()))));
    }
    if (captured.isEmpty()) {
      throw new AssertionError("LeakWatch captured no log line: is the capture working?");
    }
  }

  /** How many log lines were captured: lets a suite show that verbose logging ran. */
  public int capturedLines() {
    return captured.size();
  }

  private static void scan(
      String where, String text, Map<String, String> markers, List<String> leaks) {
    for (Map.Entry<String, String> marker : markers.entrySet()) {
      if (!marker.getKey().isEmpty() && text.contains(marker.getKey())) {
        String excerpt = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        leaks.add(marker.getValue() + " '" + marker.getKey() + "' in " + where + ": " + excerpt);
      }
    }
  }

  /** Every message, toString and suppressed exception of a chain, as one text. */
  static String chainText(Throwable e) {
    StringBuilder text = new StringBuilder();
    appendChain(e, text, 0);
    return text.toString();
  }

  private static void appendChain(Throwable e, StringBuilder text, int depth) {
    for (Throwable t = e; t != null && depth < 50; t = t.getCause(), depth++) {
      text.append(t).append('\n');
      for (Throwable suppressed : t.getSuppressed()) {
        appendChain(suppressed, text, depth + 1);
      }
      if (t.getCause() == t) {
        break;
      }
    }
  }

  private static final class CapturingAppender extends AbstractAppender {
    private final ConcurrentLinkedQueue<String> sink;

    CapturingAppender(ConcurrentLinkedQueue<String> sink) {
      super("leak-watch", null, null, true, Property.EMPTY_ARRAY);
      this.sink = sink;
    }

    @Override
    public void append(LogEvent event) {
      StringBuilder line = new StringBuilder();
      line.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ");
      line.append(event.getMessage().getFormattedMessage());
      if (event.getThrown() != null) {
        line.append('\n').append(chainText(event.getThrown()));
      }
      sink.add(line.toString());
    }
  }
}
