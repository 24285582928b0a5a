package io.csfle.connect.admin;

import io.csfle.connect.config.KmsCredentialKeys;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key tool's JSON: KEKs and DEKs with the field names of Confluent's DEK Registry API, and a
 * writer for the few value types the tool prints (this layer does without Jackson). A DEK's key
 * material, wrapped or not, is never written: the tool's output goes to terminals, logs and
 * tickets, and the wrapped key is of no use to an operator.
 */
final class AdminJson {
  /** What a credential in a KEK's kmsProps is printed as. */
  static final String REDACTED = "[redacted]";

  private AdminJson() {}

  /** name, kmsType, kmsKeyId, kmsProps, doc, shared, ts, deleted. */
  static Map<String, Object> kek(RegisteredKek kek) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", kek.name());
    json.put("kmsType", kek.kmsType());
    json.put("kmsKeyId", kek.kmsKeyId());
    json.put("kmsProps", printableProps(kek.kmsProps()));
    json.put("doc", kek.doc());
    json.put("shared", kek.shared());
    json.put("ts", kek.ts());
    json.put("deleted", kek.deleted());
    return json;
  }

  /** kekName, subject, version, algorithm, ts, deleted: no key material. */
  static Map<String, Object> dek(RegisteredDek dek) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kekName", dek.kekName());
    json.put("subject", dek.subject());
    json.put("version", dek.version());
    json.put("algorithm", dek.algorithm().name());
    json.put("ts", dek.ts());
    json.put("deleted", dek.deleted());
    return json;
  }

  /**
   * A KEK's kmsProps, sorted, with the values of credentials replaced by {@value #REDACTED}: the
   * tool refuses to store them, but another client may have.
   */
  static Map<String, String> printableProps(Map<String, String> kmsProps) {
    Map<String, String> printable = new TreeMap<>();
    kmsProps.forEach(
        (key, value) -> printable.put(key, KmsCredentialKeys.isSecret(key) ? REDACTED : value));
    return printable;
  }

  /** {@code value} as compact JSON: maps, collections, strings, numbers, booleans and null. */
  static String write(Object value) {
    StringBuilder json = new StringBuilder();
    write(value, json);
    return json.toString();
  }

  private static void write(Object value, StringBuilder json) {
    if (value == null) {
      json.append("null");
    } else if (value instanceof String text) {
      string(text, json);
    } else if (value instanceof Number || value instanceof Boolean) {
      json.append(value);
    } else if (value instanceof Map<?, ?> map) {
      json.append('{');
      Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<?, ?> entry = entries.next();
        string(String.valueOf(entry.getKey()), json);
        json.append(':');
        write(entry.getValue(), json);
        json.append(entries.hasNext() ? "," : "");
      }
      json.append('}');
    } else if (value instanceof Collection<?> items) {
      json.append('[');
      Iterator<?> it = items.iterator();
      while (it.hasNext()) {
        write(it.next(), json);
        json.append(it.hasNext() ? "," : "");
      }
      json.append(']');
    } else {
      throw new IllegalArgumentException("no JSON form for " + value.getClass().getSimpleName());
    }
  }

  /** A JSON string: quotes, backslashes and control characters escaped (RFC 8259). */
  private static void string(String text, StringBuilder json) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
