package io.csfle.connect.field;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/** A record full of arrays and maps, for element-path tests: a shopping basket. */
final class Baskets {
  private Baskets() {}

  static final Schema ITEM =
      SchemaBuilder.struct()
          .name("com.acme.Item")
          .field("sku", Schema.STRING_SCHEMA)
          .field("qty", Schema.INT32_SCHEMA)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  static final Schema LINE =
      SchemaBuilder.struct()
          .name("com.acme.Line")
          .field("sku", Schema.STRING_SCHEMA)
          .field("qty", Schema.INT32_SCHEMA)
          .build();

  static final Schema ORDER =
      SchemaBuilder.struct()
          .name("com.acme.Order")
          .field("id", Schema.STRING_SCHEMA)
          .field("lines", SchemaBuilder.array(LINE).build())
          .build();

  static final Schema CONTACT =
      SchemaBuilder.struct()
          .name("com.acme.Contact")
          .field("email", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .optional()
          .build();

  /** An array schema with every kind of metadata, to check that a rebuilt one keeps it. */
  static final Schema SCORES =
      SchemaBuilder.array(Schema.INT32_SCHEMA)
          .name("com.acme.Scores")
          .version(2)
          .doc("points per round")
          .parameter("unit", "pt")
          .optional()
          .build();

  /** A map schema with every kind of metadata, to check that a rebuilt one keeps it. */
  static final Schema COUNTS =
      SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA)
          .name("com.acme.Counts")
          .version(5)
          .doc("stock per warehouse")
          .parameter("source", "wms")
          .build();

  static final Schema BASKET =
      SchemaBuilder.struct()
          .name("com.acme.Basket")
          .field("id", Schema.STRING_SCHEMA)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
          .field("maybeTags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
          .field("scores", SCORES)
          .field("items", SchemaBuilder.array(ITEM).optional().build())
          .field("orders", SchemaBuilder.array(ORDER).build())
          .field("matrix", SchemaBuilder.array(SchemaBuilder.array(Schema.INT32_SCHEMA).build()))
          .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).optional())
          .field("counts", COUNTS)
          .field("contacts", SchemaBuilder.map(Schema.STRING_SCHEMA, CONTACT).build())
          .field("byId", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
          .build();

  static Struct item(String sku, int qty) {
    return new Struct(ITEM).put("sku", sku).put("qty", qty);
  }

  static Struct line(String sku) {
    return new Struct(LINE).put("sku", sku).put("qty", 1);
  }

  static Struct order(String id, Struct... lines) {
    return new Struct(ORDER).put("id", id).put("lines", List.of(lines));
  }

  static Struct contact(String email, String name) {
    return new Struct(CONTACT).put("email", email).put("name", name);
  }

  static <K, V> Map<K, V> ordered(K k1, V v1, K k2, V v2) {
    Map<K, V> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }

  static Struct basket() {
    return new Struct(BASKET)
        .put("id", "b-1")
        .put("tags", List.of("red", "sale"))
        .put("maybeTags", new ArrayList<>(Arrays.asList("a", null, "b")))
        .put("scores", List.of(1, 2))
        .put("items", List.of(item("sku-1", 1), item("sku-2", 2)))
        .put("orders", List.of(order("o-1", line("l-1"), line("l-2")), order("o-2", line("l-3"))))
        .put("matrix", List.of(List.of(1, 2), List.of(), List.of(3)))
        .put("attrs", ordered("tier", "gold", "lang", "nl"))
        .put("counts", ordered("ams", 3, "rtm", 4))
        .put("contacts", ordered("home", contact("ann@home", "ann"), "work", null))
        .put("byId", Map.of(7, "seven"));
  }
}
