package io.csfle.connect.subject;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns one value of a record into text that is safe inside a DEK subject. A subject goes into REST
 * URL paths and Kafka-store keys, so record data must not be able to add a separator ({@code /},
 * {@code |}, {@code %}, {@code ..}) or spell another subject: every character outside {@code
 * [A-Za-z0-9._~-]} is percent-encoded from its UTF-8 bytes, so that different values give different
 * texts and no text can break out of its place. Bytes become unpadded base64url, which needs no
 * encoding. Only single values name an entity: strings, integers, booleans and bytes.
 */
final class SubjectValueEncoding {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SubjectValueEncoding() {}

  /**
   * The encoded text of {@code value}, or null when it is empty (an empty string or no bytes, which
   * count as missing).
   *
   * @param source where the value comes from, for messages
   * @param placeholder the placeholder it fills, for messages
   * @throws SubjectDataException when the value is of a type that cannot name a subject
   */
  static String encode(Object value, SubjectSource source, String placeholder) {
    if (value instanceof String text) {
      return text.isEmpty() ? null : percentEncoded(text, source, placeholder);
    }
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof byte[] bytes) {
      return bytes.length == 0 ? null : BASE64URL.encodeToString(bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes.length == 0 ? null : BASE64URL.encodeToString(bytes);
    }
    throw new SubjectDataException(
        where(source, placeholder)
            + " holds "
            + typeName(value)
            + "; a DEK subject takes a single string, integer, boolean or bytes value");
  }

  private static String where(SubjectSource source, String placeholder) {
    return "source '" + source.text() + "' of placeholder " + placeholder;
  }

  private static String typeName(Object value) {
    if (value instanceof Struct) {
      return "a Struct";
    }
    if (value instanceof Map) {
      return "a map";
    }
    if (value instanceof List) {
      return "an array";
    }
    return "a value of type " + value.getClass().getSimpleName();
  }

  static boolean unreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static String percentEncoded(String text, SubjectSource source, String placeholder) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (Character.isSurrogate(text.charAt(i)) && Character.charCount(c) == 1) {
        // Replacing it would give two different strings one subject: refuse it instead.
        throw new SubjectDataException(
            where(source, placeholder)
                + " holds text that is not valid Unicode (an unpaired surrogate)");
      }
      i += Character.charCount(c);
      if (unreserved(c)) {
        out.append((char) c);
      } else {
        appendUtf8(out, c);
      }
    }
    return out.toString();
  }

  private static void appendUtf8(StringBuilder out, int c) {
    if (c < 0x80) {
      percent(out, c);
    } else if (c < 0x800) {
      percent(out, 0xC0 | (c >> 6));
      percent(out, 0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      percent(out, 0xE0 | (c >> 12));
      percent(out, 0x80 | ((c >> 6) & 0x3F));
      percent(out, 0x80 | (c & 0x3F));
    } else {
      percent(out, 0xF0 | (c >> 18));
      percent(out, 0x80 | ((c >> 12) & 0x3F));
      percent(out, 0x80 | ((c >> 6) & 0x3F));
      percent(out, 0x80 | (c & 0x3F));
    }
  }

  private static void percent(StringBuilder out, int octet) {
    out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
  }
}
