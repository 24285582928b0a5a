package io.csfle.connect.subject;

import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldPathException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;

/**
 * One source of a placeholder: {@code topic}, {@code key}, {@code key.<path>}, {@code value.<path>}
 * or {@code header.<name>}. {@link #read} gives the raw value, or null when the record does not
 * have it.
 *
 * @param text the source as written in the template, for messages
 * @param path the field path of {@code key.<path>} and {@code value.<path>}, otherwise null
 * @param header the header name of {@code header.<name>}, otherwise null
 */
public record SubjectSource(Kind kind, String text, FieldPath path, String header) {

  /** Where a source reads. */
  public enum Kind {
    TOPIC,
    KEY,
    KEY_FIELD,
    VALUE_FIELD,
    HEADER
  }

  private static final String FORMS =
      "a source is topic, key, key.<path>, value.<path> or header.<name>";

  /**
   * Parses one source.
   *
   * @param placeholder the placeholder it stands in, for messages
   */
  static SubjectSource parse(String text, String placeholder) {
    if (text.isEmpty()) {
      throw new SubjectTemplateException(
          "placeholder " + placeholder + " has an empty source; " + FORMS);
    }
    if (text.equals("topic")) {
      return new SubjectSource(Kind.TOPIC, text, null, null);
    }
    if (text.equals("key")) {
      return new SubjectSource(Kind.KEY, text, null, null);
    }
    if (text.startsWith("key.")) {
      return new SubjectSource(Kind.KEY_FIELD, text, path(text, "key.", placeholder), null);
    }
    if (text.startsWith("value.")) {
      return new SubjectSource(Kind.VALUE_FIELD, text, path(text, "value.", placeholder), null);
    }
    if (text.startsWith("header.") && text.length() > "header.".length()) {
      return new SubjectSource(Kind.HEADER, text, null, text.substring("header.".length()));
    }
    throw new SubjectTemplateException(
        "placeholder " + placeholder + " has an unknown source '" + text + "'; " + FORMS);
  }

  private static FieldPath path(String text, String prefix, String placeholder) {
    FieldPath path;
    try {
      path = FieldPath.parse(text.substring(prefix.length()));
    } catch (FieldPathException e) {
      throw new SubjectTemplateException(
          "placeholder " + placeholder + ", source '" + text + "': " + e.getMessage());
    }
    if (path.hasElementSteps()) {
      throw new SubjectTemplateException(
          "placeholder "
              + placeholder
              + ", source '"
              + text
              + "': [*] names many values; a subject source names one field");
    }
    return path;
  }

  /** The value this source names in {@code record}, or null when the record has none. */
  Object read(ConnectRecord<?> record) {
    return switch (kind) {
      case TOPIC -> record.topic();
      case KEY -> record.key();
      case KEY_FIELD -> field(record.key(), path.segments());
      case VALUE_FIELD -> field(record.value(), path.segments());
      case HEADER -> header(record);
    };
  }

  private Object header(ConnectRecord<?> record) {
    Header last = record.headers() == null ? null : record.headers().lastWithName(header);
    return last == null ? null : last.value();
  }

  /** Walks Structs and maps by name; anything else on the way, or a missing name, is absent. */
  private static Object field(Object root, List<String> names) {
    Object current = root;
    for (String name : names) {
      if (current instanceof Struct struct) {
        Field field = struct.schema().field(name);
        if (field == null) {
          return null;
        }
        current = struct.get(field);
      } else if (current instanceof Map<?, ?> map) {
        current = map.get(name);
      } else {
        return null;
      }
    }
    return current;
  }
}
