package io.csfle.connect.store.rest;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes one URL path segment (RFC 3986): everything but unreserved characters becomes
 * {@code %XX} of its UTF-8 bytes. Not {@link java.net.URLEncoder}, which is form encoding and turns
 * a space into {@code +} (a literal plus in a path). Subjects such as {@code orders/eu value} must
 * stay one segment, so {@code /} is encoded too.
 */
final class UrlPathSegment {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UrlPathSegment() {}

  static String encode(String segment) {
    if (segment == null || segment.isEmpty()) {
      throw new IllegalArgumentException("A KEK name or DEK subject must not be empty");
    }
    StringBuilder out = new StringBuilder(segment.length() + 8);
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0x0F]);
      }
    }
    return out.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
