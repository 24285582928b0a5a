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
    Map<String, String> config = kit.config(mode, FIELDS);
    Struct encrypted = (Struct) encrypt(config, TOPIC, ROW, schemadRow()).value();
    Struct foreign = (Struct) encrypt(config, OTHER_TOPIC, ROW, schemadRow()).value();
    Tables tables = new Tables(mode, FIELDS);
    for (String field : List.of("email", "card", "tags")) {
      Object real = encrypted.get(field);
      for (Object broken : brokenValues(mode, real)) {
        tables.check(withField(encrypted, field, broken), field, field + ": " + describe(broken));
      }
      tables.check(withField(encrypted, field, foreign.get(field)), field, field + ": other DEK");
    }
    assertThat(tables.checked).isGreaterThan(300);
  }

  @EveryCryptoMode
  void brokenCiphertextsOfSchemalessValues_areRefusedOrPassedThrough(CryptoMode mode) {
    Map<String, String> config = kit.config(mode, "email,tags");
    Map<?, ?> encrypted = (Map<?, ?>) encrypt(config, TOPIC, null, schemalessRow()).value();
    Map<?, ?> foreign = (Map<?, ?>) encrypt(config, OTHER_TOPIC, null, schemalessRow()).value();
    Tables tables = new Tables(mode, "email,tags");
    for (String field : List.of("email", "tags")) {
      Object real = encrypted.get(field);
      for (Object broken : brokenValues(mode, real)) {
        tables.check(withEntry(encrypted, field, broken), field, field + ": " + describe(broken));
      }
      tables.check(withEntry(encrypted, field, foreign.get(field)), field, field + ": other DEK");
    }
    assertThat(tables.checked).isGreaterThan(200);
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

  /** Both decryptors of one mode, and how many cases went through them. */
  private final class Tables {
    private final AdversarialKit.Decryptors decryptors;
    private final CryptoMode mode;
    int checked;

    Tables(CryptoMode mode, String fields) {
      this.mode = mode;
      this.decryptors = kit.decryptors(mode, fields);
    }

    void check(SinkRecord record, String field, String scenario) {
      String named = mode + ", " + scenario;
      Object value = Verdicts.fieldValue(record, field);
      if (value instanceof String text && mayDecodeToOriginal(text)) {
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
  }

  private final Map<String, Boolean> lenientTexts = new LinkedHashMap<>();

  private boolean mayDecodeToOriginal(String text) {
    return lenientTexts.getOrDefault(text, false);
  }

  private List<Object> brokenValues(CryptoMode mode, Object real) {
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

  private static Struct schemadRow() {
    return new Struct(ROW).put("id", 1L).put("email", EMAIL).put("card", CARD).put("tags", TAGS);
  }

  private static Map<String, Object> schemalessRow() {
    return schemalessValue("id", 1L, "email", EMAIL, "tags", TAGS);
  }
}
