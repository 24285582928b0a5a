package io.csfle.connect.adversarial;

import static io.csfle.connect.adversarial.AdversarialKit.sink;
import static io.csfle.connect.adversarial.KnownDeks.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.adversarial.KnownDeks.CryptoMode;
import io.csfle.connect.codec.SchemaCodec;
import io.csfle.connect.codec.TypedValueCodec;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.transforms.DecryptField;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, item 2, second half: hostile {@code csfle.encrypted.schema} parameters on a field whose
 * ciphertext is real. Not JSON, JSON nested past any sane depth, unknown types and members, members
 * of the wrong JSON type, a huge document, a default that is itself hostile, and schemas that do
 * not fit the plaintext: each a DataException naming the record and field, within bounded memory
 * and time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchemaParameterAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String MARKER = "PLAINTEXT-MARKER-30";
  private static final long MAX_BYTES = 256L << 20;
  private static final long MAX_MILLIS = 10_000;
  private static final CryptoMode MODE = CryptoMode.GCM;

  @RegisterExtension static final AdversarialKit kit = new AdversarialKit(leaks, MODE);

  @BeforeAll
  static void watchPlaintexts() {
    leaks.plaintext(MARKER);
  }

  private static List<String[]> hostileJson() {
    List<String[]> cases = new ArrayList<>();
    for (String json :
        new String[] {
          "",
          " ",
          "not json",
          "{",
          "{\"type\":",
          "[]",
          "null",
          "42",
          "\"int64\"",
          "{\"type\":\"int64\"} trailing",
          "{\"type\":\"int64\"}{}",
          "\uFEFF{\"type\":\"int64\"}",
          "{\"type\":\"int64\"\u0000}",
          "{'type':'int64'}",
          "{type:\"int64\"}",
        }) {
      cases.add(new String[] {"not JSON: " + printable(json), json});
    }
    for (String type : new String[] {"nope", "INT64", "", "decimal", "date", "null"}) {
      cases.add(new String[] {"type '" + type + "'", "{\"type\":\"" + type + "\"}"});
    }
    String[][] wrong = {
      {"type a number", "{\"type\":42}"},
      {"no type", "{\"optional\":true}"},
      {"unknown member", "{\"type\":\"int64\",\"extra\":1}"},
      {"'field' at top level", "{\"type\":\"int64\",\"field\":\"x\"}"},
      {"member case", "{\"Type\":\"int64\"}"},
      {"duplicate member", "{\"type\":\"int64\",\"type\":\"int32\"}"},
      {"optional a string", "{\"type\":\"int64\",\"optional\":\"yes\"}"},
      {"version a string", "{\"type\":\"int64\",\"version\":\"1\"}"},
      {"version a fraction", "{\"type\":\"int64\",\"version\":1.5}"},
      {"version 2^31", "{\"type\":\"int64\",\"version\":2147483648}"},
      {"version 1e400", "{\"type\":\"int64\",\"version\":1e400}"},
      {"version of 100,000 digits", "{\"type\":\"int64\",\"version\":" + "9".repeat(100_000) + "}"},
      {"name a number", "{\"type\":\"int64\",\"name\":5}"},
      {"doc an array", "{\"type\":\"int64\",\"doc\":[]}"},
      {"parameters an array", "{\"type\":\"int64\",\"parameters\":[]}"},
      {"parameter a number", "{\"type\":\"int64\",\"parameters\":{\"a\":1}}"},
      {"fields on an int64", "{\"type\":\"int64\",\"fields\":[]}"},
      {"items on an int64", "{\"type\":\"int64\",\"items\":{\"type\":\"int64\"}}"},
      {"struct without fields", "{\"type\":\"struct\"}"},
      {"fields an object", "{\"type\":\"struct\",\"fields\":{}}"},
      {"field without a name", "{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\"}]}"},
      {"field entry not an object", "{\"type\":\"struct\",\"fields\":[1]}"},
      {
        "field named twice",
        "{\"type\":\"struct\",\"fields\":[{\"field\":\"a\",\"type\":\"int64\"},"
            + "{\"field\":\"a\",\"type\":\"int64\"}]}"
      },
      {"array without items", "{\"type\":\"array\"}"},
      {"items a string", "{\"type\":\"array\",\"items\":\"int64\"}"},
      {"map without keys", "{\"type\":\"map\",\"values\":{\"type\":\"int64\"}}"},
      {"default not base64", "{\"type\":\"int64\",\"default\":\"%%%\"}"},
      {"default not a string", "{\"type\":\"int64\",\"default\":7}"},
      {"default of another type", "{\"type\":\"int64\",\"default\":\"" + b64(int32(7)) + "\"}"},
      {"default a bare NULL", "{\"type\":\"int64\",\"default\":\"/wEA\"}"},
      {"default not typed", "{\"type\":\"int64\",\"default\":\"" + b64(MARKER.getBytes()) + "\"}"},
      {
        "default claims 2 GB",
        "{\"type\":\"string\",\"default\":\""
            + b64(new byte[] {-1, 1, 8, -1, -1, -1, -1, 7})
            + "\"}"
      },
      {"default nested 100,000 deep", deepDefault()},
      {"array items nested 100,000 deep", nested("{\"type\":\"array\",\"items\":", 100_000, "}")},
      {"JSON arrays nested 1,000,000 deep", "[".repeat(1_000_000) + "]".repeat(1_000_000)},
      {"a 30 MB doc", "{\"type\":\"int64\",\"doc\":\"" + "d".repeat(30_000_000) + "\"}"},
      {"30 MB of whitespace", " ".repeat(30_000_000) + "{\"type\":\"int64\"}x"},
      {"a million members", "{" + "\"type\":\"int64\",".repeat(1_000_000) + "\"doc\":\"\"}"},
      // Well-formed schemas that do not fit the INT64 plaintext.
      {"a string schema", "{\"type\":\"string\"}"},
      {"an int32 schema", "{\"type\":\"int32\"}"},
      {
        "a Timestamp schema",
        "{\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"}"
      },
      {
        "a struct schema", "{\"type\":\"struct\",\"fields\":[{\"field\":\"a\",\"type\":\"int64\"}]}"
      },
      {"an array schema", "{\"type\":\"array\",\"items\":{\"type\":\"int64\"}}"},
    };
    cases.addAll(List.of(wrong));
    return cases;
  }

  @Test
  void hostileSchemaParameters_areDataExceptionsWithinBudget() {
    byte[] ciphertext =
        kit.ciphertext(MODE, TOPIC, TypedValueCodec.encode(Schema.INT64_SCHEMA, 7L));
    AdversarialKit.Decryptors decryptors = kit.decryptors(MODE, "amount");
    for (String[] hostile : hostileJson()) {
      String scenario = hostile[0];
      SinkRecord record = record(hostile[1], Base64.getEncoder().encodeToString(ciphertext));
      Budget.within(
          scenario,
          MAX_BYTES,
          MAX_MILLIS,
          () -> {
            DataException e = decryptors.assertRefused(record, "amount", scenario);
            assertThat(e.getMessage()).as(scenario).contains("schema");
          });
      refusedOrPassedThrough(decryptors, record, scenario);
    }
  }

  @Test
  void aStructSchemaNamingOtherFields_isADataExceptionWithoutTheFieldValues() {
    Schema person =
        SchemaBuilder.struct()
            .field("name", Schema.STRING_SCHEMA)
            .field("age", Schema.INT32_SCHEMA);
    Schema renamed =
        SchemaBuilder.struct().field("nom", Schema.STRING_SCHEMA).field("age", Schema.INT32_SCHEMA);
    byte[] plaintext =
        TypedValueCodec.encode(person, new Struct(person).put("name", MARKER).put("age", 3));
    String carrier = Base64.getEncoder().encodeToString(kit.ciphertext(MODE, TOPIC, plaintext));
    SinkRecord record = record(SchemaCodec.toJson(renamed), carrier);

    DecryptField<SinkRecord> decrypt = kit.decryptor(kit.config(MODE, "amount"), "fail");
    DataException e = Verdicts.assertRefused(leaks, decrypt, record, "amount", "renamed");

    assertThat(e.getMessage()).contains("not named as in the schema");
  }

  private static void refusedOrPassedThrough(
      AdversarialKit.Decryptors decryptors, SinkRecord record, String scenario) {
    // A parameter that is not a schema fails the record even with pass-through: the field's
    // restored type is unknown, so no decision about the record can be made from it.
    try {
      decryptors.assertPassedThrough(record, "amount", scenario);
    } catch (AssertionError e) {
      Verdicts.assertRefused(
          leaks, decryptors.passing, record, "amount", scenario + " (pass-through)");
    }
  }

  private static SinkRecord record(String json, String carrier) {
    Schema encrypted = SchemaBuilder.string().parameter(SchemaCodec.PARAMETER, json).build();
    Schema row =
        SchemaBuilder.struct()
            .name("Row")
            .field("id", Schema.INT64_SCHEMA)
            .field("amount", encrypted)
            .build();
    Struct value = new Struct(row).put("id", 1L).put("amount", carrier);
    return sink(row, value);
  }

  private static String nested(String open, int depth, String close) {
    return open.repeat(depth) + "{\"type\":\"int64\"}" + close.repeat(depth);
  }

  private static String deepDefault() {
    Payload payload = Payload.typed().repeat(100_000, Payload.ARRAY, 1).raw(Payload.ARRAY, 0);
    return "{\"type\":\"array\",\"items\":{\"type\":\"int64\"},\"default\":\""
        + b64(payload.bytes())
        + "\"}";
  }

  private static byte[] int32(int value) {
    return TypedValueCodec.encode(Schema.INT32_SCHEMA, value);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String printable(String s) {
    return s.replace("\u0000", "\\0").replace("\uFEFF", "BOM");
  }
}
