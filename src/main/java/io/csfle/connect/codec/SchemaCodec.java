package io.csfle.connect.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * A Connect schema as a compact JSON string and back, with full fidelity: type, name, version, doc,
 * parameters, optionality, default value, struct fields in order, array element and map key and
 * value schemas, recursively. {@code fromJson(toJson(s))} equals {@code s}.
 *
 * <p>The transforms store the JSON in the encrypted field's schema parameter {@link #PARAMETER}:
 * Connect parameters survive the JSON, Avro and Protobuf converters, so decryption restores the
 * original schema with nothing restated in configuration. Defaults are written as the standard
 * base64 of their typed plaintext ({@link TypedValueCodec}), so logical types survive. None of this
 * is encrypted: schema metadata, defaults included, is readable by anyone who sees the schema.
 *
 * <p>The vocabulary follows JsonConverter's schema envelope ({@code type}, {@code optional}, {@code
 * name}, {@code version}, {@code doc}, {@code parameters}, {@code default}, {@code fields} with
 * {@code field}, {@code items}, {@code keys}, {@code values}), but {@code default} is typed
 * plaintext, not JSON. Members equal to Connect's defaults (optional false, absent name, version,
 * doc, parameters, default) are left out. Readers refuse unknown members, so a schema written by a
 * newer version with information this one cannot restore fails loudly instead of losing it.
 */
public final class SchemaCodec {
  /** Name of the encrypted field's schema parameter that holds the original schema's JSON. */
  public static final String PARAMETER = "csfle.encrypted.schema";

  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private SchemaCodec() {}

  /**
   * The schema as compact JSON.
   *
   * @throws CodecException if the schema cannot be written: a STRUCT without a field list, an ARRAY
   *     or MAP without element schemas, or a default value that does not fit the schema
   */
  public static String toJson(Schema schema) {
    if (schema == null) {
      throw new CodecException("no schema to write");
    }
    try {
      return MAPPER.writeValueAsString(toNode(schema, MAPPER.createObjectNode()));
    } catch (JsonProcessingException e) {
      throw new CodecException("the schema could not be written as JSON");
    }
  }

  /**
   * The schema in JSON written by {@link #toJson}.
   *
   * @throws CodecException if {@code json} is not valid JSON or not a schema as {@link #toJson}
   *     writes them
   */
  public static Schema fromJson(String json) {
    if (json == null) {
      throw new CodecException("no schema JSON to read");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the input; say only where it went wrong.
      JsonLocation at = e.getLocation();
      throw new CodecException(
          at == null
              ? "the schema parameter is not valid JSON"
              : "the schema parameter is not valid JSON (line "
                  + at.getLineNr()
                  + ", column "
                  + at.getColumnNr()
                  + ")");
    }
    return SchemaJsonReader.read(root);
  }

  private static ObjectNode toNode(Schema schema, ObjectNode node) {
    node.put("type", schema.type().getName());
    if (schema.isOptional()) {
      node.put("optional", true);
    }
    if (schema.name() != null) {
      node.put("name", schema.name());
    }
    if (schema.version() != null) {
      node.put("version", schema.version().intValue());
    }
    if (schema.doc() != null) {
      node.put("doc", schema.doc());
    }
    if (schema.parameters() != null) {
      ObjectNode parameters = node.putObject("parameters");
      for (Map.Entry<String, String> parameter : schema.parameters().entrySet()) {
        parameters.put(parameter.getKey(), parameter.getValue());
      }
    }
    if (schema.defaultValue() != null) {
      byte[] typed = TypedValueCodec.encode(schema, schema.defaultValue());
      node.put("default", Base64.getEncoder().encodeToString(typed));
    }
    switch (schema.type()) {
      case STRUCT:
        if (schema.fields() == null) {
          throw new CodecException("a STRUCT schema has no field list");
        }
        ArrayNode fields = node.putArray("fields");
        for (Field field : schema.fields()) {
          ObjectNode entry = fields.addObject();
          entry.put("field", field.name());
          toNode(field.schema(), entry);
        }
        break;
      case MAP:
        toNode(required(schema.keySchema(), "MAP", "key"), node.putObject("keys"));
        toNode(required(schema.valueSchema(), "MAP", "value"), node.putObject("values"));
        break;
      case ARRAY:
        toNode(required(schema.valueSchema(), "ARRAY", "element"), node.putObject("items"));
        break;
      default:
        break;
    }
    return node;
  }

  private static Schema required(Schema schema, String type, String role) {
    if (schema == null) {
      throw new CodecException("the " + type + " schema has no " + role + " schema");
    }
    return schema;
  }
}
