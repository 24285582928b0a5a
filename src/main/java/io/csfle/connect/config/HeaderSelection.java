package io.csfle.connect.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which headers the header transforms encrypt or decrypt: exact names, and glob patterns in which
 * {@code *} stands for any run of characters (none included). Names are compared as Kafka compares
 * header keys, case and all.
 *
 * <p>A pattern never selects a trace-context propagation header ({@link #PROPAGATION_HEADERS},
 * compared without case): encrypting those would break tracing across every hop, so it takes the
 * header's exact name. {@code baggage} is among them although it may carry personal data: name it
 * exactly to encrypt it.
 */
public final class HeaderSelection {
  /**
   * W3C Trace Context and Baggage, B3 (single and multi-header) and Jaeger's header, lower-case.
   */
  public static final Set<String> PROPAGATION_HEADERS =
      Set.of(
          "traceparent",
          "tracestate",
          "baggage",
          "b3",
          "x-b3-traceid",
          "x-b3-spanid",
          "x-b3-parentspanid",
          "x-b3-sampled",
          "x-b3-flags",
          "uber-trace-id");

  private final Set<String> exactNames = new HashSet<>();
  private final List<Pattern> patterns = new ArrayList<>();

  private HeaderSelection(List<String> entries) {
    for (String entry : entries) {
      String name = entry.trim();
      if (name.indexOf('*') < 0) {
        exactNames.add(name);
      } else {
        patterns.add(globToRegex(name));
      }
    }
  }

  /**
   * Parses the entries of the {@code headers} key.
   *
   * @throws IllegalArgumentException when there is none, or one is empty
   */
  public static HeaderSelection of(List<String> entries) {
    if (entries == null || entries.isEmpty()) {
      throw new IllegalArgumentException("at least one header name or pattern is required");
    }
    for (String entry : entries) {
      if (entry == null || entry.isBlank()) {
        throw new IllegalArgumentException("a header name or pattern is empty");
      }
    }
    return new HeaderSelection(entries);
  }

  /** True when the header named {@code name} is to be encrypted or decrypted. */
  public boolean selects(String name) {
    if (name == null) {
      return false;
    }
    if (exactNames.contains(name)) {
      return true;
    }
    if (patterns.isEmpty() || isPropagationHeader(name)) {
      return false;
    }
    for (Pattern pattern : patterns) {
      if (pattern.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  /** True for the trace-context headers only an exact name selects. */
  public static boolean isPropagationHeader(String name) {
    return PROPAGATION_HEADERS.contains(name.toLowerCase(Locale.ROOT));
  }

  private static Pattern globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    int start = 0;
    for (int star = glob.indexOf('*'); star >= 0; star = glob.indexOf('*', start)) {
      regex.append(Pattern.quote(glob.substring(start, star))).append(".*");
      start = star + 1;
    }
    regex.append(Pattern.quote(glob.substring(start)));
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
