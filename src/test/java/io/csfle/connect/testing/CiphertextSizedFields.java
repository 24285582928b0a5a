package io.csfle.connect.testing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Benchmark transform, the pipeline's twin of {@code EncryptField} without the encryption: it
 * replaces the String values of the configured top-level fields of a schemaless record with Strings
 * exactly as long as their CSFLE ciphertext text (base64 of IV, UTF-8 bytes and tag), in a copy of
 * the map. What it costs the worker is what any field encryption costs besides the cipher and its
 * base64: a map copy, new values, and records that converter, producer and broker carry larger.
 * With {@code to=plaintext} it is the twin of {@code DecryptField}: ciphertext text becomes a
 * String as long as the ASCII plaintext it holds.
 */
public final class CiphertextSizedFields<R extends ConnectRecord<R>> implements Transformation<R> {
  public static final String FIELDS_CONFIG = "fields";
  public static final String TO_CONFIG = "to";

  /** IV (12 bytes) and tag (16) around the plaintext in an AES-GCM ciphertext. */
  private static final int CIPHERTEXT_OVERHEAD = 28;

  private static final String FILLER = "Q".repeat(64 * 1024);

  private List<String> fields = List.of();
  private boolean toPlaintext;

  @Override
  public void configure(Map<String, ?> configs) {
    Object value = configs.get(FIELDS_CONFIG);
    fields = value == null ? List.of() : List.of(value.toString().split(","));
    toPlaintext = "plaintext".equals(configs.get(TO_CONFIG));
  }

  @Override
  public R apply(R record) {
    if (!(record.value() instanceof Map<?, ?> map)) {
      return record;
    }
    Map<Object, Object> copy = new HashMap<>(map);
    for (String field : fields) {
      if (copy.get(field) instanceof String text) {
        copy.put(field, toPlaintext ? plaintextSized(text) : ciphertextSized(text));
      }
    }
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        record.key(),
        record.valueSchema(),
        copy,
        record.timestamp());
  }

  /** A new String as long as the base64 text of {@code text}'s AES-GCM ciphertext. */
  static String ciphertextSized(String text) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length + CIPHERTEXT_OVERHEAD;
    return FILLER.substring(0, Math.min(FILLER.length(), 4 * ((bytes + 2) / 3)));
  }

  /** A new String as long as the plaintext, if ASCII, whose ciphertext {@code text} holds. */
  static String plaintextSized(String text) {
    int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
    int bytes = text.length() / 4 * 3 - padding - CIPHERTEXT_OVERHEAD;
    return FILLER.substring(0, Math.max(0, Math.min(FILLER.length(), bytes)));
  }

  @Override
  public ConfigDef config() {
    return new ConfigDef()
        .define(
            FIELDS_CONFIG,
            Type.LIST,
            List.of(),
            Importance.HIGH,
            "Top-level fields whose String values are replaced.")
        .define(
            TO_CONFIG,
            Type.STRING,
            "ciphertext",
            ConfigDef.ValidString.in("ciphertext", "plaintext"),
            Importance.MEDIUM,
            "ciphertext: as long as the value's ciphertext text; plaintext: as long as the plaintext"
                + " the value's ciphertext text holds.");
  }

  @Override
  public void close() {}
}
