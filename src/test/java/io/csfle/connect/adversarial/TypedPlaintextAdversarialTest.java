package io.csfle.connect.adversarial;

import static io.csfle.connect.adversarial.AdversarialKit.schemalessValue;
import static io.csfle.connect.adversarial.AdversarialKit.sink;
import static io.csfle.connect.adversarial.AdversarialKit.source;
import static io.csfle.connect.adversarial.AdversarialKit.withField;
import static io.csfle.connect.adversarial.KnownDeks.TOPIC;
import static io.csfle.connect.adversarial.Payload.ARRAY;
import static io.csfle.connect.adversarial.Payload.BOOLEAN;
import static io.csfle.connect.adversarial.Payload.BYTES;
import static io.csfle.connect.adversarial.Payload.DECIMAL;
import static io.csfle.connect.adversarial.Payload.INT32;
import static io.csfle.connect.adversarial.Payload.INT64;
import static io.csfle.connect.adversarial.Payload.INT8;
import static io.csfle.connect.adversarial.Payload.MAP;
import static io.csfle.connect.adversarial.Payload.NULL;
import static io.csfle.connect.adversarial.Payload.STRING;
import static io.csfle.connect.adversarial.Payload.STRUCT;
import static io.csfle.connect.adversarial.Payload.TIME;
import static io.csfle.connect.adversarial.Payload.bare;
import static io.csfle.connect.adversarial.Payload.typed;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.adversarial.KnownDeks.CryptoMode;
import io.csfle.connect.codec.TypedValueCodec;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.transforms.DecryptField;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, item 2: hostile typed plaintexts, encrypted with the real DEK so that decryption
 * succeeds and the codec is what is attacked. Each is a DataException naming the record and field
 * (or, with pass-through, the record unchanged), within a bounded allocation and time: a length
 * claiming 2 GB allocates nothing for it, a million nested arrays do not overflow the stack.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TypedPlaintextAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();
  @RegisterExtension static final AdversarialKit kit = new AdversarialKit(leaks, CryptoMode.all());

  private static final String MARKER = "PLAINTEXT-MARKER-20";
  private static final long MAX_BYTES = 64L << 20;
  private static final long MAX_MILLIS = 10_000;

  private static final Schema PERSON =
      SchemaBuilder.struct()
          .name("Person")
          .field("name", Schema.STRING_SCHEMA)
          .field("age", Schema.OPTIONAL_INT32_SCHEMA)
          .build();
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("Row")
          .field("id", Schema.INT64_SCHEMA)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
          .field("counts", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
          .field("person", PERSON)
          .field("amount", Decimal.schema(2))
          .field("at", Time.SCHEMA)
          .field("n", Schema.INT64_SCHEMA)
          .build();

  @BeforeAll
  static void watchPlaintexts() {
    leaks.plaintext(MARKER).plaintext("PLAINTEXT-MARKER-21").plaintext("PLAINTEXT-MARKER-22");
  }

  private static Struct row() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("PLAINTEXT-MARKER-21", 1);
    return new Struct(ROW)
        .put("id", 1L)
        .put("tags", List.of(MARKER))
        .put("counts", counts)
        .put("person", new Struct(PERSON).put("name", "PLAINTEXT-MARKER-22").put("age", 40))
        .put("amount", new BigDecimal("12.34"))
        .put("at", new java.util.Date(3_600_000))
        .put("n", 5L);
  }

  /** Payloads no reader may accept, whatever the schema. */
  private static List<Hostile> anySchema() {
    List<Hostile> cases = new ArrayList<>();
    cases.add(new Hostile("marker only", bare().raw(0xFF).bytes()));
    cases.add(new Hostile("header only", typed().bytes()));
    cases.add(new Hostile("format version 2", bare().raw(0xFF, 0x02, INT8, 1).bytes()));
    cases.add(new Hostile("format version 0", bare().raw(0xFF, 0x00, INT8, 1).bytes()));
    cases.add(new Hostile("format version 0xFF", bare().raw(0xFF, 0xFF, INT8, 1).bytes()));
    cases.add(new Hostile("bare NULL", typed().raw(NULL).bytes()));
    for (int tag : new int[] {0x11, 0x20, 0x7F, 0x80, 0xFE, 0xFF}) {
      cases.add(new Hostile("unknown tag " + tag, typed().raw(tag, 0, 0, 0, 0).bytes()));
    }
    cases.add(new Hostile("STRING claims 2 GB", claims(STRING, Integer.MAX_VALUE)));
    cases.add(new Hostile("STRING claims 4 GB", claims(STRING, -1)));
    cases.add(new Hostile("BYTES claims 2 GB", claims(BYTES, Integer.MAX_VALUE)));
    cases.add(new Hostile("ARRAY claims 2^31-1", claims(ARRAY, Integer.MAX_VALUE)));
    cases.add(new Hostile("MAP claims 2^31-1", claims(MAP, Integer.MAX_VALUE)));
    cases.add(new Hostile("STRUCT claims 2^31-1", claims(STRUCT, Integer.MAX_VALUE)));
    cases.add(new Hostile("MAP claims 2^30", claims(MAP, 1 << 30)));
    cases.add(
        new Hostile(
            "DECIMAL claims 2 GB",
            typed().raw(DECIMAL).varint(4).varint(Integer.MAX_VALUE).raw(1, 2).bytes()));
    cases.add(
        new Hostile(
            "varint of 6 bytes", typed().raw(STRING, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1).bytes()));
    cases.add(
        new Hostile(
            "varint beyond 32 bits", typed().raw(STRING, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F).bytes()));
    cases.add(new Hostile("varint not shortest", typed().raw(STRING, 0x81, 0x00, 'a').bytes()));
    cases.add(new Hostile("varint cut", typed().raw(STRING, 0x81).bytes()));
    cases.add(
        new Hostile(
            "ARRAY count beyond its elements",
            typed().raw(ARRAY).varint(100).repeat(50, INT8, 1).bytes()));
    cases.add(
        new Hostile(
            "a million nested ARRAYs", typed().repeat(1_000_000, ARRAY, 1).raw(NULL).bytes()));
    cases.add(new Hostile("65 nested ARRAYs", typed().repeat(65, ARRAY, 1).raw(ARRAY, 0).bytes()));
    cases.add(
        new Hostile(
            "100,000 nested MAPs", typed().repeat(100_000, MAP, 1, STRING, 0).raw(MAP, 0).bytes()));
    return cases;
  }

  /** Payloads a schemaless reader must refuse: every rule of FORMAT.md section 3. */
  private static List<Hostile> schemaless() {
    List<Hostile> cases = anySchema();
    byte[] real =
        TypedValueCodec.encode(null, Map.of("k", List.of(true, 1L, MARKER, new BigDecimal("1.5"))));
    for (int length = 1; length < real.length; length++) {
      cases.add(new Hostile("valid payload cut to " + length, Arrays.copyOf(real, length)));
    }
    cases.add(new Hostile("trailing zero", append(real, 0)));
    cases.add(new Hostile("a second value", append(real, INT8, 1)));
    cases.add(new Hostile("trailing header", append(real, 0xFF, 0x01)));
    cases.add(new Hostile("BOOLEAN 2", typed().raw(BOOLEAN, 2).bytes()));
    cases.add(new Hostile("BOOLEAN 0xFF", typed().raw(BOOLEAN, 0xFF).bytes()));
    cases.add(new Hostile("TIME -1", typed().raw(TIME).int32(-1).bytes()));
    cases.add(new Hostile("TIME 24:00:00.001", typed().raw(TIME).int32(86_400_001).bytes()));
    cases.add(new Hostile("DECIMAL empty", typed().raw(DECIMAL, 0, 0).bytes()));
    cases.add(new Hostile("DECIMAL padded 0x0001", typed().raw(DECIMAL, 0, 2, 0, 1).bytes()));
    cases.add(new Hostile("DECIMAL padded 0xFFFF", typed().raw(DECIMAL, 0, 2, 0xFF, 0xFF).bytes()));
    cases.add(new Hostile("MAP repeats a key", map(typed(), "a", "a")));
    cases.add(
        new Hostile(
            "MAP repeats a list key",
            typed().raw(MAP, 2, ARRAY, 1, INT8, 1, NULL, ARRAY, 1, INT8, 1, NULL).bytes()));
    cases.add(
        new Hostile(
            "MAP repeats a NaN key",
            typed()
                .raw(MAP, 2, 0x06, 0x7F, 0xC0, 0, 0, NULL, 0x06, 0x7F, 0xC0, 0, 1, NULL)
                .bytes()));
    cases.add(
        new Hostile(
            "STRUCT repeats a name",
            typed().raw(STRUCT, 2).utf8("f").raw(INT8, 1).utf8("f").raw(INT8, 2).bytes()));
    Payload colliding = typed().raw(MAP).varint(80_000);
    for (int i = 0; i < 80_000; i++) { // [i, -31i] all hash to 961: minutes of work before the fix
      colliding.raw(ARRAY, 2, INT32).int32(i).raw(INT32).int32(-31 * i).raw(NULL);
    }
    cases.add(new Hostile("80,000 MAP keys of one hash code", colliding.bytes()));
    for (Map.Entry<String, byte[]> bad : invalidUtf8().entrySet()) {
      cases.add(
          new Hostile("STRING " + bad.getKey(), typed().raw(STRING).utf8(bad.getValue()).bytes()));
      cases.add(
          new Hostile(
              "MAP key " + bad.getKey(),
              typed().raw(MAP, 1, STRING).utf8(bad.getValue()).raw(NULL).bytes()));
      cases.add(
          new Hostile(
              "STRUCT name " + bad.getKey(),
              typed().raw(STRUCT, 1).utf8(bad.getValue()).raw(NULL).bytes()));
    }
    return cases;
  }

  /** Payloads that are well-formed but do not fit the field's schema, per field. */
  private static List<Hostile> schemaMismatches() {
    List<Hostile> cases = new ArrayList<>();
    cases.add(new Hostile("tags", "UTF-8, not typed", MARKER.getBytes(StandardCharsets.UTF_8)));
    cases.add(new Hostile("n", "empty plaintext", new byte[0]));
    cases.add(
        new Hostile("tags", "a required element is NULL", typed().raw(ARRAY, 1, NULL).bytes()));
    cases.add(new Hostile("tags", "an element is an INT8", typed().raw(ARRAY, 1, INT8, 1).bytes()));
    cases.add(new Hostile("counts", "a repeated key", map(typed(), "a", "a")));
    cases.add(
        new Hostile(
            "counts",
            "an INT64 value",
            typed().raw(MAP, 1).string("a").raw(INT64).int64(1).bytes()));
    cases.add(new Hostile("person", "one field missing", person(1, "name")));
    cases.add(new Hostile("person", "an extra field", person(3, "name", "age", "extra")));
    cases.add(new Hostile("person", "fields swapped", person(2, "age", "name")));
    cases.add(new Hostile("person", "a field renamed", person(2, "name", "agE")));
    cases.add(
        new Hostile(
            "person",
            "a required field NULL",
            typed().raw(STRUCT, 2).utf8("name").raw(NULL).utf8("age").raw(NULL).bytes()));
    cases.add(
        new Hostile(
            "person", "count 2^31-1", typed().raw(STRUCT).varint(Integer.MAX_VALUE).bytes()));
    cases.add(
        new Hostile("amount", "another scale", typed().raw(DECIMAL).varint(6).raw(1, 1).bytes()));
    cases.add(
        new Hostile("amount", "scale 2^31-1", typed().raw(DECIMAL).varint(-2).raw(1, 1).bytes()));
    cases.add(new Hostile("amount", "an INT64", typed().raw(INT64).int64(1234).bytes()));
    cases.add(new Hostile("at", "TIME past midnight", typed().raw(TIME).int32(90_000_000).bytes()));
    cases.add(new Hostile("at", "an INT32", typed().raw(INT32).int32(1).bytes()));
    cases.add(new Hostile("n", "an INT32", typed().raw(INT32).int32(1).bytes()));
    cases.add(new Hostile("n", "an INT64 cut short", typed().raw(INT64).int32(1).bytes()));
    return cases;
  }

  @EveryCryptoMode
  void hostileTypedPlaintextsOfSchemalessValues_areRefusedWithinBudget(CryptoMode mode) {
    Harness harness = new Harness(mode, "blob");
    for (Hostile hostile : schemaless()) {
      Object carrier = harness.carrier(kit.ciphertext(mode, TOPIC, hostile.payload()), false);
      harness.check(sink(null, schemalessValue("id", 1L, "blob", carrier)), hostile);
    }
  }

  @EveryCryptoMode
  void hostileTypedPlaintextsOfSchemadFields_areRefusedWithinBudget(CryptoMode mode) {
    String fields = "tags,counts,person,amount,at,n";
    Harness harness = new Harness(mode, fields);
    Struct encrypted =
        (Struct) kit.encryptor(kit.config(mode, fields)).apply(source(ROW, row())).value();
    List<Hostile> cases = new ArrayList<>(schemaMismatches());
    for (String field : fields.split(",")) {
      for (Hostile hostile : anySchema()) {
        cases.add(new Hostile(field, hostile.name(), hostile.payload()));
      }
    }
    for (Hostile hostile : cases) {
      Object carrier = harness.carrier(kit.ciphertext(mode, TOPIC, hostile.payload()), true);
      harness.check(withField(encrypted, hostile.field(), carrier), hostile);
    }
  }

  @Test
  void sixtyFourNestedArrays_stillDecode() {
    CryptoMode mode = CryptoMode.GCM;
    byte[] payload = typed().repeat(63, ARRAY, 1).raw(ARRAY, 0).bytes();
    String carrier = Base64.getEncoder().encodeToString(kit.ciphertext(mode, TOPIC, payload));
    DecryptField<SinkRecord> decrypt = new Harness(mode, "blob").failing;

    Object out = decrypt.apply(sink(null, schemalessValue("blob", carrier))).value();

    Object inner = ((Map<?, ?>) out).get("blob");
    for (int depth = 1; depth < 64; depth++) {
      inner = ((List<?>) inner).get(0);
    }
    assertThat(inner).isEqualTo(List.of());
  }

  @Test
  void decimalOfTheLargestScale_decodesWithinBudget() {
    CryptoMode mode = CryptoMode.SIV;
    byte[] payload = typed().raw(DECIMAL).varint(-2).raw(1, 1).bytes();
    Map<String, Object> value = schemalessValue("blob", kit.ciphertext(mode, TOPIC, payload));
    DecryptField<SinkRecord> decrypt = new Harness(mode, "blob").failing;
    Object[] out = new Object[1];

    Budget.within(
        "huge scale", MAX_BYTES, MAX_MILLIS, () -> out[0] = decrypt.apply(sink(null, value)));

    assertThat(((Map<?, ?>) ((SinkRecord) out[0]).value()).get("blob"))
        .isEqualTo(new BigDecimal(java.math.BigInteger.ONE, Integer.MAX_VALUE));
  }

  /** Both decryptors of one mode; carriers in the mode's output type. */
  private static final class Harness {
    private final CryptoMode mode;
    private final AdversarialKit.Decryptors decryptors;
    final DecryptField<SinkRecord> failing;

    Harness(CryptoMode mode, String fields) {
      this.mode = mode;
      decryptors = kit.decryptors(mode, fields);
      failing = decryptors.failing;
    }

    /** Schema'd typed fields follow the output type; schemaless values may be either. */
    Object carrier(byte[] ciphertext, boolean schemad) {
      boolean asBytes = schemad ? mode.output().equals("bytes") : ciphertext.length % 2 == 0;
      return asBytes ? ciphertext : Base64.getEncoder().encodeToString(ciphertext);
    }

    void check(SinkRecord record, Hostile hostile) {
      String scenario = mode + ", " + hostile.field() + ": " + hostile.name();
      Budget.within(
          scenario,
          MAX_BYTES,
          MAX_MILLIS,
          () -> decryptors.assertRefused(record, hostile.field(), scenario));
      decryptors.assertPassedThrough(record, hostile.field(), scenario);
    }
  }

  /** A hostile payload, and the field it goes into ("blob" for schemaless records). */
  record Hostile(String field, String name, byte[] payload) {
    Hostile(String name, byte[] payload) {
      this("blob", name, payload);
    }
  }

  private static byte[] claims(int tag, int length) {
    return typed().raw(tag).varint(length).raw('a', 'b', 'c').bytes();
  }

  private static byte[] append(byte[] payload, int... extra) {
    return Payload.bare().raw(payload).raw(extra).bytes();
  }

  private static byte[] map(Payload payload, String... keys) {
    payload.raw(MAP).varint(keys.length);
    for (int i = 0; i < keys.length; i++) {
      payload.string(keys[i]).raw(INT32).int32(i);
    }
    return payload.bytes();
  }

  private static byte[] person(int count, String... names) {
    Payload payload = typed().raw(STRUCT).varint(count);
    for (String name : names) {
      payload.utf8(name);
      if (name.equals("name")) {
        payload.string("PLAINTEXT-MARKER-22");
      } else {
        payload.raw(INT32).int32(40);
      }
    }
    return payload.bytes();
  }

  /** Byte sequences that are not UTF-8 (RFC 3629), by what is wrong with them. */
  private static Map<String, byte[]> invalidUtf8() {
    Map<String, byte[]> bad = new LinkedHashMap<>();
    bad.put("overlong '/'", new byte[] {(byte) 0xC0, (byte) 0xAF});
    bad.put("overlong NUL", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0x80});
    bad.put("encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    bad.put("cut sequence", new byte[] {'a', (byte) 0xE2, (byte) 0x82});
    bad.put("lone continuation", new byte[] {'a', (byte) 0x80, 'b'});
    bad.put("0xFF", new byte[] {(byte) 0xFF});
    bad.put("beyond U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
    bad.put("U+FFFD then 0xFE", new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD, (byte) 0xFE});
    return bad;
  }
}
