package io.csfle.connect.store.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link InMemoryDekRegistryStore} keeps, how each server flavour renders it as JSON, and how
 * request bodies are read. AxonOps' Go records are tagged {@code omitempty}, so in that mode empty
 * {@code kmsProps} and {@code deleted=false} are left out; Confluent always writes them.
 */
final class InMemoryDekRegistryEntities {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InMemoryDekRegistryEntities() {}

  /** A failed call: the HTTP status, the {@code error_code} and the message of the error body. */
  static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final int errorCode;

    ApiError(int status, int errorCode, String message) {
      super(message);
      this.status = status;
      this.errorCode = errorCode;
    }
  }

  record Kek(
      String name,
      String kmsType,
      String kmsKeyId,
      Map<String, String> kmsProps,
      String doc,
      boolean shared,
      long ts,
      boolean deleted) {

    Kek withDeleted(boolean newDeleted, long newTs) {
      return new Kek(name, kmsType, kmsKeyId, kmsProps, doc, shared, newTs, newDeleted);
    }

    /** Same KMS binding and settings: Confluent lets such a create revive a soft-deleted KEK. */
    boolean sameSettings(Kek other) {
      return kmsType.equals(other.kmsType)
          && kmsKeyId.equals(other.kmsKeyId)
          && kmsProps.equals(other.kmsProps)
          && Objects.equals(doc, other.doc)
          && shared == other.shared;
    }

    ObjectNode toJson(Mode mode, boolean unknownFields) {
      ObjectNode node = JSON.createObjectNode();
      node.put("name", name).put("kmsType", kmsType).put("kmsKeyId", kmsKeyId);
      if (mode == Mode.CONFLUENT || !kmsProps.isEmpty()) {
        ObjectNode props = node.putObject("kmsProps");
        kmsProps.forEach(props::put);
      }
      if (doc != null) {
        node.put("doc", doc);
      }
      node.put("shared", shared).put("ts", ts);
      if (mode == Mode.CONFLUENT || deleted) {
        node.put("deleted", deleted);
      }
      return decorate(node, unknownFields);
    }
  }

  /**
   * {@code keyMaterial} is kept only for DEKs the server generated for a shared KEK without a KMS
   * of its own; with one, the server keeps the wrapped bytes only.
   */
  record Dek(
      String kekName,
      String subject,
      int version,
      DekAlgorithm algorithm,
      byte[] encryptedKeyMaterial,
      byte[] keyMaterial,
      long ts,
      boolean deleted) {

    Dek withDeleted(boolean newDeleted, long newTs) {
      return new Dek(
          kekName,
          subject,
          version,
          algorithm,
          encryptedKeyMaterial,
          keyMaterial,
          newTs,
          newDeleted);
    }

    /**
     * @param plaintext the {@code keyMaterial} to hand out (the server decides when); null for none
     */
    ObjectNode toJson(Mode mode, byte[] plaintext, boolean unknownFields) {
      ObjectNode node = JSON.createObjectNode();
      node.put("kekName", kekName).put("subject", subject).put("version", version);
      node.put("algorithm", algorithm.name());
      if (encryptedKeyMaterial != null) {
        node.put("encryptedKeyMaterial", Base64.getEncoder().encodeToString(encryptedKeyMaterial));
      }
      if (plaintext != null) {
        node.put("keyMaterial", Base64.getEncoder().encodeToString(plaintext));
      }
      node.put("ts", ts);
      if (mode == Mode.CONFLUENT || deleted) {
        node.put("deleted", deleted);
      }
      return decorate(node, unknownFields);
    }
  }

  // ---- request bodies ----

  static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new TreeMap<>();
    if (node != null && node.isObject()) {
      node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    }
    return map;
  }

  static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  static String required(JsonNode body, String field) {
    String value = text(body, field);
    if (value == null || value.isEmpty()) {
      throw invalid(field);
    }
    return value;
  }

  static byte[] base64(JsonNode body, String field) {
    String value = text(body, field);
    if (value == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw invalid(field);
    }
  }

  // ---- errors, with Confluent's codes ----

  static ApiError invalid(String field) {
    return new ApiError(422, 42271, "Invalid or missing key info: " + field);
  }

  static ApiError notFound(String name) {
    return new ApiError(404, 40470, "Key '" + name + "' not found");
  }

  static ApiError alreadyExists(String name) {
    return new ApiError(409, 40971, "Key '" + name + "' already exists; use a different value");
  }

  private static ObjectNode decorate(ObjectNode node, boolean unknownFields) {
    if (unknownFields) {
      node.put("someFutureField", "ignored");
      node.putObject("metadata").put("nested", 1).putArray("list").add("x");
    }
    return node;
  }
}
