package io.csfle.connect.adversarial;

import static io.csfle.connect.adversarial.AdversarialKit.schemalessValue;
import static io.csfle.connect.adversarial.AdversarialKit.source;
import static io.csfle.connect.adversarial.AdversarialKit.withEntry;
import static io.csfle.connect.adversarial.AdversarialKit.withField;
import static io.csfle.connect.adversarial.KnownDeks.OTHER_TOPIC;
import static io.csfle.connect.adversarial.KnownDeks.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.adversarial.Corruptions.BrokenText;
import io.csfle.connect.adversarial.Corruptions.Corrupted;
import io.csfle.connect.adversarial.KnownDeks.CryptoMode;
import io.csfle.connect.testing.LeakWatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, item 1: a table of broken ciphertexts through {@code DecryptField$Value}, for a
 * schema'd STRING, BYTES and typed field and for schemaless STRING and typed values, in every
 * crypto mode (GCM and SIV, with and without the DEK-version prefix, typed output as STRING and
 * BYTES). Each broken value is a {@code DataException} naming the record and field, or with
 * pass-through the value as it came in: never a decrypted value, never another exception type,
 * never a hang.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CorruptedCiphertextAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();
  @RegisterExtension static final AdversarialKit kit = new AdversarialKit(leaks, CryptoMode.all());

  private static final String EMAIL = "PLAINTEXT-MARKER-1@example.com";
  private static final byte[] CARD = "PLAINTEXT-MARKER-2".getBytes(StandardCharsets.UTF_8);
  private static final List<String> TAGS = List.of("PLAINTEXT-MARKER-3", "PLAINTEXT-MARKER-4");
  private static final String FIELDS = "email,card,tags";
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("Row")
          .field("id", Schema.INT64_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("card", Schema.BYTES_SCHEMA)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
          .build();

  @BeforeAll
  static void watchPlaintexts() {
    leaks.plaintext(EMAIL).plaintext(new String(CARD, StandardCharsets.UTF_8));
    TAGS.forEach(leaks::plaintext);
  }

  @EveryCryptoMode
  void brokenCiphertextsOfSchemadFields_areRefusedOrPassedThrough(CryptoMode mode) {
    int checked =
        checkEveryBrokenValue(mode, FIELDS, ROW, CorruptedCiphertextAdversarialTest::schemadRow);
    assertThat(checked).isGreaterThan(300);
  }

  @EveryCryptoMode
  void brokenCiphertextsOfSchemalessValues_areRefusedOrPassedThrough(CryptoMode mode) {
    int checked =
        checkEveryBrokenValue(
            mode, "email,tags", null, CorruptedCiphertextAdversarialTest::schemalessRow);
    assertThat(checked).isGreaterThan(200);
  }

  /**
   * Encrypts a row, then puts in place of each of {@code fields}, one at a time, every broken form
   * of its real ciphertext and the ciphertext of another DEK; returns how many cases were checked.
   */
  private static int checkEveryBrokenValue(
      CryptoMode mode, String fields, Schema schema, Supplier<Object> row) {
    Map<String, String> config = kit.config(mode, fields);
    Object encrypted = encrypt(config, TOPIC, schema, row.get()).value();
    Object foreign = encrypt(config, OTHER_TOPIC, schema, row.get()).value();
    Tables tables = new Tables(mode, fields);
    for (String field : fields.split(",")) {
      for (Object broken : tables.brokenValues(valueOf(encrypted, field))) {
        tables.check(replaced(encrypted, field, broken), field, field + ": " + describe(broken));
      }
      tables.check(
          replaced(encrypted, field, valueOf(foreign, field)), field, field + ": other DEK");
    }
    return tables.checked;
  }

  @EveryCryptoMode
  void schemalessValuesOfWrongJavaTypes_areRefusedOrPassedThrough(CryptoMode mode) {
    Map<String, String> config = kit.config(mode, "email");
    Map<?, ?> encrypted = (Map<?, ?>) encrypt(config, TOPIC, null, schemalessRow()).value();
    Tables tables = new Tables(mode, "email");
    List<Object> wrong =
        List.of(
            42,
            -7L,
            true,
            3.5d,
            new java.math.BigDecimal("1.5"),
            new java.util.Date(0),
            List.of(encrypted.get("email")),
            Map.of("email", encrypted.get("email")),
            new Struct(ROW),
            new Object[] {encrypted.get("email")});
    for (Object value : wrong) {
      tables.check(withEntry(encrypted, "email", value), "email", "email: " + describe(value));
    }
    // A ByteBuffer or byte[] holding the real ciphertext is a legitimate BYTES carrier.
    byte[] raw = Base64.getDecoder().decode((String) encrypted.get("email"));
    for (Object carrier : List.of(raw, ByteBuffer.wrap(raw))) {
      Object out =
          kit.decryptor(config, "fail").apply(withEntry(encrypted, "email", carrier)).value();
      assertThat(((Map<?, ?>) out).get("email")).isEqualTo(EMAIL.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Both decryptors of one mode, the broken values made for them, and how many were checked. */
  private static final class Tables {
    private final AdversarialKit.Decryptors decryptors;
    private final CryptoMode mode;
    private final Map<String, Boolean> lenientTexts = new LinkedHashMap<>();
    int checked;

    Tables(CryptoMode mode, String fields) {
      this.mode = mode;
      this.decryptors = kit.decryptors(mode, fields);
    }

    void check(SinkRecord record, String field, String scenario) {
      String named = mode + ", " + scenario;
      Object value = Verdicts.fieldValue(record, field);
      if (value instanceof String text && lenientTexts.getOrDefault(text, false)) {
        checkLenient(record, field, named);
      } else {
        decryptors.assertRefusedOrPassedThrough(record, field, named);
      }
      checked++;
    }

    /** A lenient base64 reading of the real ciphertext: refused, or exactly the original. */
    private void checkLenient(SinkRecord record, String field, String scenario) {
      try {
        Object out = Verdicts.fieldValue(decryptors.failing.apply(record), field);
        assertThat(out).as(scenario).isIn(EMAIL, TAGS);
      } catch (RuntimeException e) {
        decryptors.assertRefused(record, field, scenario);
      }
    }

    /** Every broken form of {@code real}, remembering which texts may decode to it. */
    List<Object> brokenValues(Object real) {
      List<Object> values = new ArrayList<>();
      byte[] bytes = real instanceof String s ? Base64.getDecoder().decode(s) : (byte[]) real;
      for (Corrupted c : Corruptions.of(bytes, mode.overhead())) {
        values.add(
            real instanceof String ? Base64.getEncoder().encodeToString(c.bytes()) : c.bytes());
      }
      if (real instanceof String s) {
        for (BrokenText t : Corruptions.texts(s)) {
          lenientTexts.put(t.text(), t.mayDecodeToOriginal());
          values.add(t.text());
        }
      }
      return values;
    }
  }

  private static String describe(Object value) {
    return Verdicts.shape(value)
        + (value instanceof String s && s.length() < 200 ? " '" + printable(s) + "'" : "");
  }

  private static String printable(String s) {
    return s.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
  }

  private static SourceRecord encrypt(
      Map<String, String> config, String topic, Schema schema, Object value) {
    return kit.encryptor(config).apply(source(topic, schema, value));
  }

  private static Object valueOf(Object encrypted, String field) {
    return encrypted instanceof Struct struct
        ? struct.get(field)
        : ((Map<?, ?>) encrypted).get(field);
  }

  /** The encrypted Struct or Map with {@code field} replaced, as a sink record. */
  private static SinkRecord replaced(Object encrypted, String field, Object replacement) {
    return encrypted instanceof Struct struct
        ? withField(struct, field, replacement)
        : withEntry((Map<?, ?>) encrypted, field, replacement);
  }

  private static Struct schemadRow() {
    return new Struct(ROW).put("id", 1L).put("email", EMAIL).put("card", CARD).put("tags", TAGS);
  }

  private static Map<String, Object> schemalessRow() {
    return schemalessValue("id", 1L, "email", EMAIL, "tags", TAGS);
  }
}
