package io.csfle.connect.testing;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * The deterministic records {@link CustomerSourceConnector} produces, so a test can recompute the
 * plaintext of record {@code i} and compare it with what arrived. Values carry PII-like strings
 * (emails), an optional field that is null on every third record, and binary bytes that are not
 * valid UTF-8; keys repeat every {@link #DISTINCT_KEYS} records.
 */
public final class CustomerRecords {
  public static final int DISTINCT_KEYS = 5;

  public static final Schema KEY_SCHEMA =
      SchemaBuilder.struct()
          .name("io.csfle.test.CustomerKey")
          .field("customerId", Schema.STRING_SCHEMA)
          .build();

  public static final Schema CUSTOMER_SCHEMA =
      SchemaBuilder.struct()
          .name("io.csfle.test.Customer")
          .field("email", Schema.STRING_SCHEMA)
          .field("tier", Schema.STRING_SCHEMA)
          .build();

  public static final Schema VALUE_SCHEMA =
      SchemaBuilder.struct()
          .name("io.csfle.test.Order")
          .field("id", Schema.INT64_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("ssn", Schema.OPTIONAL_STRING_SCHEMA)
          .field("card", Schema.BYTES_SCHEMA)
          .field("customer", CUSTOMER_SCHEMA)
          .build();

  /** {@link #VALUE_SCHEMA} with the customer's number first, for DEK subjects per customer. */
  public static final Schema VALUE_WITH_CUSTOMER_ID_SCHEMA = withCustomerId();

  private static final List<String> TIERS = List.of("gold", "silver", "bronze");

  private CustomerRecords() {}

  public static String customerId(int i) {
    return "customer-" + (i % DISTINCT_KEYS);
  }

  /** The number of record {@code i}'s customer, the one {@link #customerId} names. */
  public static long customerNumber(int i) {
    return i % DISTINCT_KEYS;
  }

  private static Schema withCustomerId() {
    SchemaBuilder schema =
        SchemaBuilder.struct()
            .name("io.csfle.test.CustomerOrder")
            .field("customer_id", Schema.INT64_SCHEMA);
    VALUE_SCHEMA.fields().forEach(f -> schema.field(f.name(), f.schema()));
    return schema.build();
  }

  /** {@link #value(int)} with {@code customer_id} = {@link #customerNumber}. */
  public static Struct valueWithCustomerId(int i) {
    Struct value = value(i);
    Struct withId = new Struct(VALUE_WITH_CUSTOMER_ID_SCHEMA).put("customer_id", customerNumber(i));
    VALUE_SCHEMA.fields().forEach(f -> withId.put(f.name(), value.get(f)));
    return withId;
  }

  /** {@link #valueMap(int)} with {@code customer_id} = {@link #customerNumber}. */
  public static Map<String, Object> valueMapWithCustomerId(int i) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("customer_id", customerNumber(i));
    value.putAll(valueMap(i));
    return value;
  }

  public static String name(int i) {
    return "Name " + i;
  }

  public static String email(int i) {
    return "person" + i + "@example.com";
  }

  /** Null on every third record, so that null handling is exercised. */
  public static String ssn(int i) {
    return i % 3 == 0 ? null : String.format("%03d-%02d-%04d", 100 + i, i % 100, 4000 + i);
  }

  /** 16 bytes including 0x80..0xFF, which are not valid UTF-8 on their own. */
  public static byte[] card(int i) {
    byte[] card = new byte[16];
    for (int k = 0; k < card.length; k++) {
      card[k] = (byte) (0xF0 ^ (i * 31 + k * 17));
    }
    return card;
  }

  public static String customerEmail(int i) {
    return "buyer" + i + "@shop.example.org";
  }

  public static String tier(int i) {
    return TIERS.get(i % TIERS.size());
  }

  public static Struct key(int i) {
    return new Struct(KEY_SCHEMA).put("customerId", customerId(i));
  }

  public static Struct value(int i) {
    return new Struct(VALUE_SCHEMA)
        .put("id", (long) i)
        .put("name", name(i))
        .put("email", email(i))
        .put("ssn", ssn(i))
        .put("card", card(i))
        .put(
            "customer",
            new Struct(CUSTOMER_SCHEMA).put("email", customerEmail(i)).put("tier", tier(i)));
  }

  public static Map<String, Object> keyMap(int i) {
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("customerId", customerId(i));
    return key;
  }

  /** The schemaless value: the same fields as {@link #value(int)} in maps. */
  public static Map<String, Object> valueMap(int i) {
    Map<String, Object> customer = new LinkedHashMap<>();
    customer.put("email", customerEmail(i));
    customer.put("tier", tier(i));
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("id", (long) i);
    value.put("name", name(i));
    value.put("email", email(i));
    value.put("ssn", ssn(i));
    value.put("card", card(i));
    value.put("customer", customer);
    return value;
  }

  /**
   * A comparable form of a Connect value: structs become sorted maps of their fields, bytes become
   * {@code "bytes:<base64>"} (so that a byte array and a string never compare equal), and numbers
   * become {@code long}s when integral, as schemaless JSON reads them.
   */
  public static Object normalize(Object value) {
    if (value instanceof Struct struct) {
      Map<String, Object> fields = new TreeMap<>();
      struct.schema().fields().forEach(f -> fields.put(f.name(), normalize(struct.get(f))));
      return fields;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> fields = new TreeMap<>();
      map.forEach((k, v) -> fields.put(String.valueOf(k), normalize(v)));
      return fields;
    }
    if (value instanceof byte[] bytes) {
      return "bytes:" + Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return normalize(bytes);
    }
    if (value instanceof Integer n) {
      return n.longValue();
    }
    return value;
  }
}
