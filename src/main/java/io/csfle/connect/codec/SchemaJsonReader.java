package io.csfle.connect.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Reads the JSON that {@link SchemaCodec#toJson} writes, strictly: every member must be one the
 * writer uses, with the JSON type it uses, and the schema is built with {@link ConnectSchema}'s
 * constructor (as {@code SchemaBuilder.build()} does) so that any default, a Struct default
 * included, is restored as it was.
 */
final class SchemaJsonReader {
  private static final Set<String> MEMBERS =
      Set.of(
          "type",
          "optional",
          "name",
          "version",
          "doc",
          "parameters",
          "default",
          "fields",
          "items",
          "keys",
          "values");
  private static final Map<String, Schema.Type> TYPES = new HashMap<>();

  static {
    for (Schema.Type type : Schema.Type.values()) {
      TYPES.put(type.getName(), type);
    }
  }

  private SchemaJsonReader() {}

  static Schema read(JsonNode root) {
    return schema(root, false);
  }

  private static Schema schema(JsonNode node, boolean isField) {
    requireKnownMembers(node, isField);
    Schema.Type type = TYPES.get(text(node, "type", true));
    if (type == null) {
      throw bad("a schema has an unknown type");
    }
    boolean optional = node.has("optional") && bool(node.get("optional"));
    String name = text(node, "name", false);
    Integer version = integer(node, "version");
    String doc = text(node, "doc", false);
    Map<String, String> parameters = parameters(node.get("parameters"));
    allowOnly(node, "fields", type == Schema.Type.STRUCT);
    allowOnly(node, "keys", type == Schema.Type.MAP);
    allowOnly(node, "values", type == Schema.Type.MAP);
    allowOnly(node, "items", type == Schema.Type.ARRAY);
    Children children = children(node, type);
    // Built twice when there is a default: decoding it needs the schema without it.
    Function<Object, Schema> withDefault =
        defaultValue ->
            new ConnectSchema(
                type,
                optional,
                defaultValue,
                name,
                version,
                doc,
                parameters,
                children.fields(),
                children.keySchema(),
                children.valueSchema());
    Schema withoutDefault = withDefault.apply(null);
    String defaultBase64 = text(node, "default", false);
    if (defaultBase64 == null) {
      return withoutDefault;
    }
    return withDefault.apply(defaultValue(defaultBase64, withoutDefault));
  }

  /** A STRUCT's fields, a MAP's key and value schemas, an ARRAY's item schema; null elsewhere. */
  private record Children(List<Field> fields, Schema keySchema, Schema valueSchema) {}

  private static void requireKnownMembers(JsonNode node, boolean isField) {
    if (node == null || !node.isObject()) {
      throw bad("a schema is missing or not a JSON object");
    }
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String member = property.getKey();
      if (!MEMBERS.contains(member) && !(isField && member.equals("field"))) {
        throw bad("a schema has an unknown member \"" + member + "\"");
      }
    }
  }

  private static Children children(JsonNode node, Schema.Type type) {
    return switch (type) {
      case STRUCT -> new Children(fields(node.get("fields")), null, null);
      case MAP ->
          new Children(null, schema(node.get("keys"), false), schema(node.get("values"), false));
      case ARRAY -> new Children(null, null, schema(node.get("items"), false));
      default -> new Children(null, null, null);
    };
  }

  private static Object defaultValue(String defaultBase64, Schema withoutDefault) {
    byte[] typedDefault = base64(defaultBase64);
    try {
      return TypedValueCodec.decode(typedDefault, withoutDefault);
    } catch (CodecException e) {
      // Say where: a bare payload error would read as if the field's ciphertext were broken.
      throw bad("\"default\" is not a typed value of its schema: " + e.getMessage());
    }
  }

  private static List<Field> fields(JsonNode node) {
    if (node == null || !node.isArray()) {
      throw bad("a STRUCT schema has no \"fields\" array");
    }
    List<Field> fields = new ArrayList<>(node.size());
    Set<String> names = new HashSet<>();
    for (JsonNode entry : node) {
      String name = text(entry, "field", true);
      if (!names.add(name)) {
        throw bad("a STRUCT schema names a field twice");
      }
      fields.add(new Field(name, fields.size(), schema(entry, true)));
    }
    return Collections.unmodifiableList(fields);
  }

  private static Map<String, String> parameters(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw bad("\"parameters\" is not a JSON object");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getValue().isTextual()) {
        throw bad("a schema parameter is not a JSON string");
      }
      parameters.put(entry.getKey(), entry.getValue().textValue());
    }
    return Collections.unmodifiableMap(parameters);
  }

  private static void allowOnly(JsonNode node, String member, boolean allowed) {
    if (!allowed && node.has(member)) {
      throw bad("a schema of this type has a \"" + member + "\" member");
    }
  }

  private static String text(JsonNode node, String member, boolean required) {
    JsonNode value = node.isObject() ? node.get(member) : null;
    if (value == null) {
      if (required) {
        throw bad("a schema has no \"" + member + "\"");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw bad("\"" + member + "\" is not a JSON string");
    }
    return value.textValue();
  }

  private static Integer integer(JsonNode node, String member) {
    JsonNode value = node.get(member);
    if (value == null) {
      return null;
    }
    if (!value.isInt()) {
      throw bad("\"" + member + "\" is not a 32-bit integer");
    }
    return value.intValue();
  }

  private static boolean bool(JsonNode value) {
    if (!value.isBoolean()) {
      throw bad("\"optional\" is not true or false");
    }
    return value.booleanValue();
  }

  private static byte[] base64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw bad("\"default\" is not standard base64");
    }
  }

  private static CodecException bad(String what) {
    return new CodecException("the schema parameter is not a schema: " + what);
  }
}
