package io.csfle.connect.field;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/** An order record with a nested customer, address and attribute map, for walker tests. */
final class Records {
  private Records() {}

  static final Schema ADDRESS =
      SchemaBuilder.struct()
          .name("com.acme.Address")
          .field("street", Schema.STRING_SCHEMA)
          .field("zip", Schema.OPTIONAL_STRING_SCHEMA)
          .optional()
          .build();

  static final Schema ATTRS =
      SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).optional().build();

  static final Schema CUSTOMER =
      SchemaBuilder.struct()
          .name("com.acme.Customer")
          .field("id", Schema.INT64_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
          .field("address", ADDRESS)
          .field("attrs", ATTRS)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
          .build();

  static final Schema ORDER =
      SchemaBuilder.struct()
          .name("com.acme.Order")
          .field("orderId", Schema.STRING_SCHEMA)
          .field("customer", CUSTOMER)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  static Struct address() {
    return new Struct(ADDRESS).put("street", "main st").put("zip", "1234ab");
  }

  static Map<String, String> attrs() {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("tier", "gold");
    attrs.put("ssn", "123-45-6789");
    attrs.put("lang", "nl");
    return attrs;
  }

  static Struct customer() {
    return new Struct(CUSTOMER)
        .put("id", 7L)
        .put("email", "ann@example.com")
        .put("phone", "+31 6 1234")
        .put("address", address())
        .put("attrs", attrs())
        .put("tags", List.of("vip"));
  }

  static Struct order() {
    return new Struct(ORDER)
        .put("orderId", "o-1")
        .put("customer", customer())
        .put("note", "leave at door");
  }

  static BoundRewriter rewriter(FieldRewrite rewrite, String... paths) {
    return rewriter(rewrite, MissingFieldPolicy.FAIL, paths);
  }

  static BoundRewriter rewriter(FieldRewrite rewrite, MissingFieldPolicy policy, String... paths) {
    return new BoundRewriter(FieldPath.parseAll(List.of(paths)), rewrite, policy, 16);
  }
}
