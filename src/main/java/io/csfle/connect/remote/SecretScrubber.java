package io.csfle.connect.remote;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes credentials from text a remote server sent (an error message, a body) before that text
 * goes into an exception or a log line. A server may echo what it received (an {@code
 * Authorization} header, a token in a form, a password in a URL), so every configured secret is
 * removed in the forms it travels in: as is, percent-encoded and percent-decoded, base64 (standard
 * and URL-safe, with and without padding, as in a {@code Basic} header) and JSON-escaped.
 *
 * <p>{@link #serverText} is the one way server text enters a message: it scrubs first and cuts
 * after, so that cutting can never leave the first characters of a secret behind, and it replaces
 * control characters, so that a server cannot forge log lines with line breaks. Immutable and
 * thread-safe.
 */
public final class SecretScrubber {
  /** Longest server text, in characters, that {@link #serverText} lets through. */
  public static final int MAX_SERVER_TEXT = 300;

  static final String REDACTED = "[redacted]";

  /** A scrubber that knows no secrets; {@link #serverText} still bounds and cleans the text. */
  public static final SecretScrubber NONE = new SecretScrubber(List.of());

  // Longest first, so that a secret containing another is removed whole.
  private final List<String> forms;

  private SecretScrubber(List<String> forms) {
    this.forms = forms;
  }

  /** A scrubber for these secrets; null and empty values are ignored. */
  public static SecretScrubber of(Collection<String> secrets) {
    Set<String> forms = new LinkedHashSet<>();
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        addForms(secret, forms);
      }
    }
    List<String> sorted = new ArrayList<>(forms);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretScrubber(List.copyOf(sorted));
  }

  /** A scrubber for these secrets; null and empty values are ignored. */
  public static SecretScrubber of(String... secrets) {
    return of(java.util.Arrays.asList(secrets));
  }

  /** This scrubber's secrets and those of {@code other}. */
  public SecretScrubber and(SecretScrubber other) {
    Set<String> union = new LinkedHashSet<>(forms);
    union.addAll(other.forms);
    List<String> sorted = new ArrayList<>(union);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretScrubber(List.copyOf(sorted));
  }

  /**
   * {@code text} with every form of every secret replaced by {@value #REDACTED}; null stays null.
   */
  public String scrub(String text) {
    if (text == null || forms.isEmpty()) {
      return text;
    }
    String scrubbed = text;
    for (String form : forms) {
      if (scrubbed.contains(form)) {
        scrubbed = scrubbed.replace(form, REDACTED);
      }
    }
    return scrubbed;
  }

  /** True when {@code text} holds a form of a secret. */
  public boolean leaks(String text) {
    return text != null && !scrub(text).equals(text);
  }

  /**
   * Server text fit for a message: scrubbed, control characters replaced by spaces, then cut to
   * {@value #MAX_SERVER_TEXT} characters (saying how many were left out). Null stays null.
   */
  public String serverText(String text) {
    if (text == null) {
      return null;
    }
    String scrubbed = scrub(text);
    StringBuilder clean = new StringBuilder(Math.min(scrubbed.length(), MAX_SERVER_TEXT + 16));
    int kept = Math.min(scrubbed.length(), MAX_SERVER_TEXT);
    for (int i = 0; i < kept; i++) {
      char c = scrubbed.charAt(i);
      clean.append(Character.isISOControl(c) || isLineSeparator(c) ? ' ' : c);
    }
    if (scrubbed.length() > kept) {
      clean.append("... (").append(scrubbed.length() - kept).append(" more characters)");
    }
    return clean.toString();
  }

  private static boolean isLineSeparator(char c) {
    return c == '\u2028' || c == '\u2029' || c == '\u0085';
  }

  private static void addForms(String secret, Set<String> forms) {
    forms.add(secret);
    String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    forms.add(encoded);
    forms.add(encoded.replace("+", "%20"));
    forms.add(lowerHex(encoded));
    try {
      forms.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      // Not percent-encoded: the raw form is enough.
    }
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    String base64 = Base64.getEncoder().encodeToString(bytes);
    forms.add(base64);
    forms.add(Base64.getUrlEncoder().encodeToString(bytes));
    forms.add(stripPadding(base64));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    forms.add(jsonEscaped(secret));
    forms.remove("");
  }

  private static String stripPadding(String base64) {
    int end = base64.length();
    while (end > 0 && base64.charAt(end - 1) == '=') {
      end--;
    }
    return base64.substring(0, end);
  }

  private static String lowerHex(String percentEncoded) {
    StringBuilder out = new StringBuilder(percentEncoded.length());
    for (int i = 0; i < percentEncoded.length(); i++) {
      char c = percentEncoded.charAt(i);
      if (c == '%' && i + 2 < percentEncoded.length()) {
        out.append('%').append(percentEncoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String jsonEscaped(String secret) {
    StringBuilder out = new StringBuilder(secret.length() + 8);
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '/' -> out.append("\\/");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
