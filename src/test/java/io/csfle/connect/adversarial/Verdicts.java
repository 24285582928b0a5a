package io.csfle.connect.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.testing.LeakWatch;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * What every hostile record must come to: a {@link DataException} that names topic, partition,
 * offset and field but never the value, whose cause chain holds only this project's exceptions (no
 * NullPointerException, IllegalArgumentException or index exception slipping out), or, with {@code
 * decrypt.on.failure=passthrough}, the field exactly as it came in.
 */
final class Verdicts {
  private Verdicts() {}

  /** Applies {@code decrypt} (in fail mode) and checks the record is refused as it must be. */
  static DataException assertRefused(
      LeakWatch leaks,
      Transformation<SinkRecord> decrypt,
      SinkRecord record,
      String field,
      String scenario) {
    Throwable thrown;
    try {
      SinkRecord out = decrypt.apply(record);
      throw new AssertionError(
          scenario + ": expected a DataException, but the record was decrypted to " + shape(out));
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable e) {
      thrown = leaks.exception(e);
    }
    assertThat(thrown).as(scenario).isExactlyInstanceOf(DataException.class);
    assertThat(thrown.getMessage())
        .as(scenario)
        .contains("topic '" + record.topic() + "'")
        .contains("partition " + record.kafkaPartition())
        .contains("offset " + record.kafkaOffset())
        .contains("field '" + field + "'");
    assertNoForeignCause(thrown, scenario);
    for (String text : valueTexts(fieldValue(record, field))) {
      assertThat(thrown.getMessage())
          .as(scenario + ": the value is in the message")
          .doesNotContain(text);
    }
    return (DataException) thrown;
  }

  /**
   * Applies {@code decrypt} (in pass-through mode) and checks the field comes out as it went in:
   * still the same ciphertext (or the same wrong value), never anything decrypted from it.
   */
  static void assertPassedThrough(
      Transformation<SinkRecord> decrypt, SinkRecord record, String field, String scenario) {
    SinkRecord out;
    try {
      out = decrypt.apply(record);
    } catch (RuntimeException e) {
      throw new AssertionError(scenario + ": pass-through threw " + e.getClass().getName(), e);
    }
    Object before = fieldValue(record, field);
    Object after = fieldValue(out, field);
    assertThat(Objects.deepEquals(before, after))
        .as("%s: pass-through changed the field to %s", scenario, shape(after))
        .isTrue();
  }

  /** Every exception in the chain is a DataException or one of this project's own. */
  static void assertNoForeignCause(Throwable thrown, String scenario) {
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      boolean ours =
          t instanceof DataException || t.getClass().getName().startsWith("io.csfle.connect.");
      assertThat(ours)
          .as("%s: a %s escaped inside %s", scenario, t.getClass().getName(), thrown)
          .isTrue();
    }
  }

  static Object fieldValue(SinkRecord record, String field) {
    Object value = record.value();
    if (value instanceof Struct struct) {
      return struct.schema().field(field) == null ? null : struct.get(field);
    }
    if (value instanceof Map<?, ?> map) {
      return map.get(field);
    }
    throw new IllegalArgumentException("not a Struct or Map value");
  }

  /** Forms in which a message could quote a value: its text, and base64 for bytes. */
  private static List<String> valueTexts(Object value) {
    List<String> texts = new ArrayList<>();
    if (value instanceof String s && s.length() >= 8) {
      texts.add(s);
    } else if (value instanceof byte[] b && b.length >= 6) {
      texts.add(Base64.getEncoder().encodeToString(b));
    }
    return texts;
  }

  /** A description of a value that never shows it: its Java type and size. */
  static String shape(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof SinkRecord r) {
      return "a record with value " + shape(r.value());
    }
    if (value instanceof String s) {
      return "a String of " + s.length() + " chars";
    }
    if (value instanceof byte[] b) {
      return "byte[" + b.length + "]";
    }
    return "a " + value.getClass().getSimpleName();
  }
}
