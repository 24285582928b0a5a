package io.csfle.connect.store.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DEK Registry's JSON bodies, both ways. Reading is lenient where servers differ (unknown
 * properties ignored, {@code kmsProps} and {@code deleted} optional, fields a server omits taken
 * from the request) and strict where a mistake would lose data (a malformed body or base64 is an
 * error, not an empty value) and throws {@link MalformedException}. Error messages never quote a
 * body: bodies can hold key material.
 */
final class RegistryJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private RegistryJson() {}

  // ---- requests ----

  static byte[] createKekBody(NewKek kek) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("name", kek.name());
    body.put("kmsType", kek.kmsType());
    body.put("kmsKeyId", kek.kmsKeyId());
    putMap(body.putObject("kmsProps"), kek.kmsProps());
    if (kek.doc() != null) {
      body.put("doc", kek.doc());
    }
    body.put("shared", kek.shared());
    body.put("deleted", false);
    return write(body);
  }

  /** Null {@code kmsProps} or {@code doc} are left out, which servers read as "unchanged". */
  static byte[] updateKekBody(Map<String, String> kmsProps, String doc, boolean shared) {
    ObjectNode body = MAPPER.createObjectNode();
    if (kmsProps != null) {
      putMap(body.putObject("kmsProps"), kmsProps);
    }
    if (doc != null) {
      body.put("doc", doc);
    }
    body.put("shared", shared);
    return write(body);
  }

  /** The version is always written: some servers turn a missing one into "max + 1". */
  static byte[] createDekBody(NewDek dek) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("subject", dek.dekSubject().subject());
    body.put("version", dek.version());
    body.put("algorithm", dek.dekSubject().algorithm().name());
    if (dek.encryptedKeyMaterial() != null) {
      body.put("encryptedKeyMaterial", encode(dek.encryptedKeyMaterial()));
    }
    body.put("deleted", false);
    return write(body);
  }

  // ---- responses ----

  static RegisteredKek readKek(byte[] body) {
    JsonNode node = readObject(body, "KEK");
    return new RegisteredKek(
        requiredText(node, "name", "KEK"),
        requiredText(node, "kmsType", "KEK"),
        requiredText(node, "kmsKeyId", "KEK"),
        readStringMap(node.get("kmsProps")),
        optionalText(node, "doc", "KEK"),
        node.path("shared").asBoolean(false),
        node.path("ts").asLong(0L),
        node.path("deleted").asBoolean(false));
  }

  /**
   * Reads a DEK. The request supplies the identity fields a server leaves out (older Confluent
   * releases omitted {@code version}): omission is fine. What the server does send is kept as sent,
   * so that the DEK layer can refuse an answer that contradicts the request (another algorithm,
   * version or subject) instead of it being silently replaced here.
   *
   * @param version the version asked for, or 0 for "latest": then the answer must carry one
   */
  static RegisteredDek readDek(
      byte[] body, String kekName, String subject, int version, DekAlgorithm algorithm) {
    JsonNode node = readObject(body, "DEK");
    DekAlgorithm parsedAlgorithm = algorithm;
    String algorithmName = optionalText(node, "algorithm", "DEK");
    if (algorithmName != null) {
      try {
        parsedAlgorithm = DekAlgorithm.parse(algorithmName);
      } catch (CryptoException e) {
        throw malformed("DEK", e.getMessage());
      }
    }
    JsonNode versionNode = node.get("version");
    boolean versionOmitted = versionNode == null || versionNode.isNull();
    if (!versionOmitted && !(versionNode.isIntegralNumber() && versionNode.canConvertToInt())) {
      throw malformed("DEK", "'version' is not an int");
    }
    if (versionOmitted && version < 1) {
      // "latest" names no version the request could supply; a guess would be written into
      // ciphertext prefixes.
      throw malformed("DEK", "missing 'version'");
    }
    return new RegisteredDek(
        orDefault(optionalText(node, "kekName", "DEK"), kekName),
        orDefault(optionalText(node, "subject", "DEK"), subject),
        versionOmitted ? version : versionNode.asInt(),
        parsedAlgorithm,
        decode(optionalText(node, "encryptedKeyMaterial", "DEK"), "encryptedKeyMaterial"),
        decode(optionalText(node, "keyMaterial", "DEK"), "keyMaterial"),
        node.path("ts").asLong(0L),
        node.path("deleted").asBoolean(false));
  }

  static List<String> readStringList(byte[] body, String what) {
    JsonNode node = readTree(body, what);
    if (!node.isArray()) {
      throw malformed(what, "expected a JSON array");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw malformed(what, "expected strings");
      }
      values.add(item.asText());
    }
    return List.copyOf(values);
  }

  /**
   * Versions sorted ascending whatever order the server used. A version below 1 or listed twice is
   * malformed: versions are numbered from 1, and a caller would otherwise ask for version 0.
   */
  static List<Integer> readVersions(byte[] body) {
    JsonNode node = readTree(body, "DEK versions");
    if (!node.isArray()) {
      throw malformed("DEK versions", "expected a JSON array");
    }
    List<Integer> versions = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.canConvertToInt() || !item.isIntegralNumber()) {
        throw malformed("DEK versions", "expected integers");
      }
      if (item.asInt() < 1) {
        throw malformed("DEK versions", "version " + item.asInt() + " is not >= 1");
      }
      versions.add(item.asInt());
    }
    versions.sort(null);
    for (int i = 1; i < versions.size(); i++) {
      if (versions.get(i).equals(versions.get(i - 1))) {
        throw malformed("DEK versions", "version " + versions.get(i) + " is listed twice");
      }
    }
    return List.copyOf(versions);
  }

  /**
   * The {@code message} of an error body, or null when the body is not the usual {@code
   * {"error_code":..,"message":..}} shape (an HTML page from a proxy, say).
   */
  static String errorMessage(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      JsonNode message = node == null ? null : node.get("message");
      return message != null && message.isTextual() ? message.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  // ---- helpers ----

  private static JsonNode readObject(byte[] body, String what) {
    JsonNode node = readTree(body, what);
    if (!node.isObject()) {
      throw malformed(what, "expected a JSON object");
    }
    return node;
  }

  private static JsonNode readTree(byte[] body, String what) {
    try {
      JsonNode node = body == null || body.length == 0 ? null : MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw malformed(what, "empty body");
      }
      return node;
    } catch (IOException e) {
      // Jackson's message can echo part of the body, which may be key material: drop it.
      throw malformed(what, "not valid JSON");
    }
  }

  private static Map<String, String> readStringMap(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    }
    return map;
  }

  private static void putMap(ObjectNode target, Map<String, String> map) {
    map.forEach(target::put);
  }

  private static String requiredText(JsonNode node, String field, String what) {
    String value = optionalText(node, field, what);
    if (value == null) {
      throw malformed(what, "missing '" + field + "'");
    }
    return value;
  }

  /**
   * A string field, or null when absent. A number, array or object where a string belongs is
   * malformed: {@code asText()} would turn an object into "" and an array into "", silently.
   */
  private static String optionalText(JsonNode node, String field, String what) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw malformed(what, "'" + field + "' is not a string");
    }
    return value.asText();
  }

  private static String orDefault(String value, String fallback) {
    return value != null ? value : fallback;
  }

  private static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] decode(String base64, String field) {
    if (base64 == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw malformed("DEK", "'" + field + "' is not standard base64");
    }
  }

  private static byte[] write(JsonNode body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise a registry request", e);
    }
  }

  private static MalformedException malformed(String what, String reason) {
    return new MalformedException("Malformed " + what + " in registry response: " + reason);
  }

  /** A response body we cannot use; the caller adds the HTTP status and the operation. */
  static final class MalformedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }
}
