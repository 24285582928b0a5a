package io.csfle.connect.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Deterministic records with a field of every Connect type, for converter round trips: record
 * {@code i} of {@link #value(int)} (schema'd) or {@link #valueMap(int)} (schemaless, JSON-native
 * Java types only) can be recomputed by a test and compared with what a sink received. Every value
 * here survives JsonConverter unchanged (no NaN, no -0.0, no unset defaults), so a plain converter
 * round trip gives back the very same record; the secrets of the encrypted fields are long and
 * distinctive, so that {@link #secrets(int)} can look for them in raw bytes.
 */
public final class TypedRecords {
  /** Field paths of {@link #VALUE_SCHEMA} to encrypt: object mode and element mode. */
  public static final String SCHEMA_FIELDS =
      "i8,i16,i32,i64,f32,f64,flag,email,blob,price,balance,birthday,alarm,seen,micros,vsd,note,"
          + "left,retries,customer,lines[*].sku,lines[*].price,tags[*],attrs,scores[*]";

  /** Field paths of {@link #valueMap(int)} to encrypt: object mode and element mode. */
  public static final String SCHEMALESS_FIELDS =
      "email,count,ratio,active,note,customer,lines[*].sku,lines[*].qty,tags[*],attrs[*],matrix,"
          + "empty";

  public static final Schema ADDRESS_SCHEMA =
      SchemaBuilder.struct()
          .name("io.csfle.test.Address")
          .field("street", Schema.STRING_SCHEMA)
          .field("zip", Schema.STRING_SCHEMA)
          .build();

  public static final Schema CUSTOMER_SCHEMA =
      SchemaBuilder.struct()
          .name("io.csfle.test.Customer")
          .version(4)
          .doc("the buyer")
          .field("name", Schema.STRING_SCHEMA)
          .field("ssn", Schema.OPTIONAL_STRING_SCHEMA)
          .field("address", ADDRESS_SCHEMA)
          .build();

  public static final Schema LINE_SCHEMA =
      SchemaBuilder.struct()
          .name("io.csfle.test.Line")
          .field("sku", Schema.STRING_SCHEMA)
          .field("qty", Schema.INT32_SCHEMA)
          .field("price", Decimal.schema(2))
          .field("gift", Schema.OPTIONAL_BOOLEAN_SCHEMA)
          .build();

  /** Debezium's {@code io.debezium.data.VariableScaleDecimal}, built as Debezium builds it. */
  public static final Schema VARIABLE_SCALE_DECIMAL_SCHEMA =
      SchemaBuilder.struct()
          .name("io.debezium.data.VariableScaleDecimal")
          .version(1)
          .doc("Variable scaled decimal")
          .optional()
          .field("scale", Schema.INT32_SCHEMA)
          .field("value", Schema.BYTES_SCHEMA)
          .build();

  public static final Schema MICRO_TIMESTAMP_SCHEMA =
      SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).build();

  public static final Schema VALUE_SCHEMA =
      SchemaBuilder.struct()
          .name("io.csfle.test.TypedRow")
          .version(2)
          .doc("one field of every type")
          .field("id", Schema.INT64_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("total", Decimal.schema(3))
          .field("i8", Schema.INT8_SCHEMA)
          .field("i16", Schema.INT16_SCHEMA)
          .field("i32", Schema.INT32_SCHEMA)
          .field("i64", Schema.INT64_SCHEMA)
          .field("f32", Schema.FLOAT32_SCHEMA)
          .field("f64", Schema.FLOAT64_SCHEMA)
          .field("flag", Schema.BOOLEAN_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("blob", Schema.BYTES_SCHEMA)
          .field("price", Decimal.schema(2))
          .field("balance", Decimal.builder(18).optional().doc("a big one").build())
          .field("birthday", Date.SCHEMA)
          .field("alarm", Time.SCHEMA)
          .field("seen", Timestamp.SCHEMA)
          .field("micros", MICRO_TIMESTAMP_SCHEMA)
          .field("vsd", VARIABLE_SCALE_DECIMAL_SCHEMA)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .field("left", Timestamp.builder().optional().build())
          .field("retries", SchemaBuilder.int32().defaultValue(42).doc("has a default").build())
          .field("customer", CUSTOMER_SCHEMA)
          .field("lines", SchemaBuilder.array(LINE_SCHEMA).build())
          .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
          .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())
          .field(
              "scores",
              SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.FLOAT64_SCHEMA).optional().build())
          .build();

  /**
   * {@link #VALUE_SCHEMA} as {@code DecryptField} restores it after {@code EncryptField} encrypted
   * {@link #SCHEMA_FIELDS}: the same, except that {@code retries} has lost its default (encryption
   * leaves an encrypted field's own default out of the schema, since it is a plaintext).
   */
  public static final Schema DECRYPTED_VALUE_SCHEMA = decryptedSchema();

  private TypedRecords() {}

  private static Schema decryptedSchema() {
    SchemaBuilder builder =
        SchemaBuilder.struct()
            .name(VALUE_SCHEMA.name())
            .version(VALUE_SCHEMA.version())
            .doc(VALUE_SCHEMA.doc());
    for (Field field : VALUE_SCHEMA.fields()) {
      builder.field(
          field.name(),
          field.name().equals("retries")
              ? SchemaBuilder.int32().doc("has a default").build()
              : field.schema());
    }
    return builder.build();
  }

  /** Row {@code i} as {@code DecryptField} gives it back: {@link #DECRYPTED_VALUE_SCHEMA}. */
  public static Struct decryptedValue(int i) {
    Struct original = value(i);
    Struct decrypted = new Struct(DECRYPTED_VALUE_SCHEMA);
    for (Field field : VALUE_SCHEMA.fields()) {
      decrypted.put(field.name(), original.get(field));
    }
    return decrypted;
  }

  public static long id(int i) {
    return i;
  }

  public static String email(int i) {
    return "person." + i + "@secret.example";
  }

  public static long i64(int i) {
    return 9_007_199_254_740_993L + i * 1_000_000_007L;
  }

  public static int i32(int i) {
    return -2_000_000_000 + i * 1_000_003;
  }

  /** Extremes that still survive JsonConverter's decimal text: shortest repr, exact parse back. */
  public static double f64(int i) {
    return switch (i % 4) {
      case 0 -> Double.MIN_VALUE;
      case 1 -> -Double.MAX_VALUE;
      case 2 -> 0.1 + 0.2;
      default -> Math.PI * 1e-300 * (i + 1);
    };
  }

  public static float f32(int i) {
    return switch (i % 3) {
      case 0 -> Float.MIN_VALUE;
      case 1 -> Float.MAX_VALUE;
      default -> 0.1f * (i + 1);
    };
  }

  /** 16 bytes including 0x80..0xFF, not valid UTF-8. */
  public static byte[] blob(int i) {
    byte[] blob = new byte[16];
    for (int k = 0; k < blob.length; k++) {
      blob[k] = (byte) (0xF3 ^ (i * 29 + k * 13));
    }
    return blob;
  }

  /** A 48-digit decimal of scale 18, or null on every fifth record (the field is optional). */
  public static BigDecimal balance(int i) {
    return i % 5 == 4
        ? null
        : new BigDecimal("-987654321098765432109876543210.123456789012345678")
            .add(BigDecimal.valueOf(i));
  }

  public static long micros(int i) {
    return 1_700_000_000_123_456L + i * 1_000_001L;
  }

  public static long seenMillis(int i) {
    return 1_700_000_000_123L + i * 60_001L;
  }

  public static String note(int i) {
    return i % 3 == 0 ? null : "note-secret-" + i;
  }

  public static String sku(int i, int line) {
    return "sku-secret-" + i + "-" + line;
  }

  public static String tag(int i) {
    return "tag-secret-" + i;
  }

  public static String attrKey(int i) {
    return "attr-secret-" + i;
  }

  public static String customerName(int i) {
    return "Customer Secret " + i;
  }

  public static String street(int i) {
    return i + " Secret Street";
  }

  public static Struct value(int i) {
    Struct vsd =
        i % 4 == 0
            ? null
            : new Struct(VARIABLE_SCALE_DECIMAL_SCHEMA)
                .put("scale", i % 7)
                .put("value", BigInteger.valueOf(-123_456_789L * i).toByteArray());
    List<Struct> lines = new ArrayList<>();
    for (int k = 0; k < i % 4; k++) {
      lines.add(
          new Struct(LINE_SCHEMA)
              .put("sku", sku(i, k))
              .put("qty", k + 1)
              .put("price", BigDecimal.valueOf(999 + 100L * k + i, 2))
              .put("gift", k == 1 ? null : k % 2 == 0));
    }
    Map<String, Long> attrs = new LinkedHashMap<>();
    attrs.put(attrKey(i), 100L + i);
    attrs.put("visits", (long) i);
    Map<Integer, Double> scores = new LinkedHashMap<>();
    scores.put(i, 1.5 * i);
    scores.put(-i - 1, 1e-10);
    return new Struct(VALUE_SCHEMA)
        .put("id", id(i))
        .put("name", "Name " + i)
        .put("total", BigDecimal.valueOf(1_000_000L * i + 7, 3))
        .put("i8", (byte) (-128 + i))
        .put("i16", (short) (-32_768 + 7 * i))
        .put("i32", i32(i))
        .put("i64", i64(i))
        .put("f32", f32(i))
        .put("f64", f64(i))
        .put("flag", i % 2 == 0)
        .put("email", email(i))
        .put("blob", blob(i))
        .put("price", BigDecimal.valueOf(12_345 + i, 2))
        .put("balance", balance(i))
        .put("birthday", Date.toLogical(Date.SCHEMA, 19_000 + i))
        .put("alarm", Time.toLogical(Time.SCHEMA, (int) ((i * 3_600_123L) % 86_400_000L)))
        .put("seen", new java.util.Date(seenMillis(i)))
        .put("micros", micros(i))
        .put("vsd", vsd)
        .put("note", note(i))
        .put("left", i % 2 == 0 ? null : new java.util.Date(seenMillis(i) + 1))
        .put("retries", 4_200 + i)
        .put(
            "customer",
            new Struct(CUSTOMER_SCHEMA)
                .put("name", customerName(i))
                .put("ssn", i % 2 == 0 ? null : "ssn-secret-" + i)
                .put(
                    "address",
                    new Struct(ADDRESS_SCHEMA).put("street", street(i)).put("zip", "Z" + i)))
        .put("lines", lines)
        .put("tags", i % 5 == 0 ? null : Arrays.asList(tag(i), null, "vip-" + tag(i)))
        .put("attrs", attrs)
        .put("scores", i % 6 == 5 ? null : scores);
  }

  /**
   * The schemaless value: only the Java types JsonConverter itself produces without schemas ({@code
   * Long}, {@code Double}, {@code Boolean}, {@code String}, {@code List}, {@code Map}, null),
   * nested.
   */
  public static Map<String, Object> valueMap(int i) {
    Map<String, Object> address = new LinkedHashMap<>();
    address.put("street", street(i));
    address.put("zip", "Z" + i);
    Map<String, Object> customer = new LinkedHashMap<>();
    customer.put("name", customerName(i));
    customer.put("ssn", i % 2 == 0 ? null : "ssn-secret-" + i);
    customer.put("address", address);
    List<Object> lines = new ArrayList<>();
    for (int k = 0; k < i % 4; k++) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("sku", sku(i, k));
      line.put("qty", i64(i) + k);
      line.put("price", 9.99 + k);
      line.put("gift", k == 1 ? null : k % 2 == 0);
      lines.add(line);
    }
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put(attrKey(i), 100L + i);
    attrs.put("loyalty", Arrays.asList(1L, null, "gold"));
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("id", id(i));
    value.put("name", "Name " + i);
    value.put("email", email(i));
    value.put("count", i64(i));
    value.put("ratio", f64(i));
    value.put("active", i % 2 == 0);
    value.put("note", note(i));
    value.put("customer", customer);
    value.put("lines", lines);
    value.put("tags", i % 5 == 0 ? null : Arrays.asList(tag(i), null, "vip-" + tag(i)));
    value.put("attrs", attrs);
    value.put("matrix", List.of(List.of(i64(i), -1L), List.of(), List.of(2.5)));
    value.put("empty", new LinkedHashMap<>());
    return value;
  }

  /**
   * Plaintexts of the encrypted fields of record {@code i} of {@link #value(int)} that must not
   * appear in a serialized record: as text (UTF-8) and, for the binary field, raw and as JSON's
   * base64. Each is long enough that it cannot turn up in a base64 ciphertext by chance.
   */
  public static Map<String, byte[]> secrets(int i) {
    List<String> texts = commonSecrets(i);
    texts.add(Integer.toString(i32(i)));
    texts.add(Long.toString(micros(i)));
    texts.add(Long.toString(seenMillis(i)));
    texts.add(attrKey(i)); // attrs is encrypted as a whole (object mode): keys too
    if (balance(i) != null) {
      texts.add(balance(i).toPlainString());
      texts.add(Base64.getEncoder().encodeToString(balance(i).unscaledValue().toByteArray()));
    }
    Map<String, byte[]> secrets = utf8(texts);
    secrets.put("blob", blob(i));
    secrets.put("blob as base64", Base64.getEncoder().encode(blob(i)));
    return secrets;
  }

  /**
   * Like {@link #secrets(int)} for {@link #valueMap(int)}. Map keys encrypted in element mode
   * ({@code attrs[*]}) stay readable, so they are not among them.
   */
  public static Map<String, byte[]> schemalessSecrets(int i) {
    List<String> texts = commonSecrets(i);
    for (int k = 0; k < i % 4; k++) {
      texts.add(Long.toString(i64(i) + k));
    }
    return utf8(texts);
  }

  private static List<String> commonSecrets(int i) {
    List<String> texts = new ArrayList<>();
    texts.add(email(i));
    texts.add(Long.toString(i64(i)));
    texts.add(customerName(i));
    texts.add(street(i));
    texts.add("ssn-secret-" + i);
    texts.add(tag(i));
    if (note(i) != null) {
      texts.add(note(i));
    }
    for (int k = 0; k < i % 4; k++) {
      texts.add(sku(i, k));
    }
    return texts;
  }

  private static Map<String, byte[]> utf8(List<String> texts) {
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    texts.forEach(text -> secrets.put(text, text.getBytes(UTF_8)));
    return secrets;
  }
}
