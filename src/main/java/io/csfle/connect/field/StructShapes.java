package io.csfle.connect.field;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Whether a Struct can be read through a schema other than its own instance: a {@link StructPlan}
 * reads fields by position, so the two must agree on everything that decides which value sits in
 * which slot and how it is read: field names and order, types, optionality, logical names and
 * parameters (a Decimal's scale), recursively. Docs, versions and defaults are left out: they
 * change neither the slots nor the values' types, and a default Struct's schema is a {@code
 * SchemaBuilder}, which {@code ConnectSchema.equals} never finds equal to a built schema.
 */
final class StructShapes {
  private StructShapes() {}

  /** True when a value of {@code actual} holds its values where {@code planned} expects them. */
  static boolean same(Schema planned, Schema actual) {
    if (planned == actual) {
      return true;
    }
    if (planned == null
        || actual == null
        || planned.type() != actual.type()
        || planned.isOptional() != actual.isOptional()
        || !Objects.equals(planned.name(), actual.name())
        || !sameParameters(planned.parameters(), actual.parameters())) {
      return false;
    }
    switch (planned.type()) {
      case STRUCT:
        return sameFields(planned.fields(), actual.fields());
      case ARRAY:
        return same(planned.valueSchema(), actual.valueSchema());
      case MAP:
        return same(planned.keySchema(), actual.keySchema())
            && same(planned.valueSchema(), actual.valueSchema());
      default:
        return true;
    }
  }

  /** The field names in order, e.g. {@code [id, email]}, for messages: names, never values. */
  static String fieldNames(Schema schema) {
    StringBuilder names = new StringBuilder("[");
    for (Field field : schema.fields()) {
      if (names.length() > 1) {
        names.append(", ");
      }
      names.append(field.name());
    }
    return names.append(']').toString();
  }

  private static boolean sameFields(List<Field> planned, List<Field> actual) {
    if (planned.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < planned.size(); i++) {
      Field p = planned.get(i);
      Field a = actual.get(i);
      if (p.index() != a.index() || !p.name().equals(a.name()) || !same(p.schema(), a.schema())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameParameters(Map<String, String> planned, Map<String, String> actual) {
    boolean plannedEmpty = planned == null || planned.isEmpty();
    boolean actualEmpty = actual == null || actual.isEmpty();
    return plannedEmpty ? actualEmpty : planned.equals(actual);
  }
}
