package io.csfle.connect.store.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key topic's record format, JSON both ways. Keys: {@code {"kek":..,"claim":..}} for a KEK,
 * {@code {"kek":..,"subject":..,"algorithm":..,"version":..,"claim":..}} for a DEK version. Values
 * follow the DEK Registry's JSON field names plus {@code claimOffset} on updates; there is no field
 * for plaintext key material. A record this format cannot read is skipped by the reader (and logged
 * without its bytes), so a newer writer never stops an older reader.
 */
final class KeyTopicJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private KeyTopicJson() {}

  /** The entity alone, without the claim: hashed to choose the partition. */
  static byte[] entityBytes(EntityId id) {
    return write(entityNode(id));
  }

  static byte[] keyBytes(RecordKey key) {
    ObjectNode node = entityNode(key.entity());
    node.put("claim", key.claim());
    return write(node);
  }

  static RecordKey readKey(byte[] bytes) {
    JsonNode node = read(bytes);
    String kek = text(node, "kek");
    String claim = text(node, "claim");
    if (kek == null || claim == null) {
      throw new IllegalArgumentException("key without kek or claim");
    }
    String subject = text(node, "subject");
    EntityId id =
        subject == null
            ? EntityId.kek(kek)
            : EntityId.dek(kek, subject, algorithm(text(node, "algorithm")), version(node));
    return new RecordKey(id, claim);
  }

  /**
   * A DEK key's version: an int &ge; 1. Anything else (missing, 0, negative) is unreadable, so the
   * reader skips the record rather than list a version no client may ask for.
   */
  private static int version(JsonNode key) {
    JsonNode version = key.get("version");
    if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
      throw new IllegalArgumentException("DEK key without an int version");
    }
    if (version.asInt() < 1) {
      throw new IllegalArgumentException("DEK key with version " + version.asInt() + " < 1");
    }
    return version.asInt();
  }

  static byte[] valueBytes(StoredEntity entity) {
    ObjectNode node = MAPPER.createObjectNode();
    if (entity.kek() != null) {
      RegisteredKek kek = entity.kek();
      node.put("name", kek.name());
      node.put("kmsType", kek.kmsType());
      node.put("kmsKeyId", kek.kmsKeyId());
      ObjectNode props = node.putObject("kmsProps");
      kek.kmsProps().forEach(props::put);
      if (kek.doc() != null) {
        node.put("doc", kek.doc());
      }
      node.put("shared", kek.shared());
      node.put("ts", kek.ts());
      node.put("deleted", kek.deleted());
    } else {
      RegisteredDek dek = entity.dek();
      node.put("kekName", dek.kekName());
      node.put("subject", dek.subject());
      node.put("version", dek.version());
      node.put("algorithm", dek.algorithm().name());
      node.put(
          "encryptedKeyMaterial", Base64.getEncoder().encodeToString(dek.encryptedKeyMaterial()));
      node.put("ts", dek.ts());
      node.put("deleted", dek.deleted());
    }
    if (entity.claimOffset() != StoredEntity.CLAIM) {
      node.put("claimOffset", entity.claimOffset());
    }
    return write(node);
  }

  static StoredEntity readValue(EntityId id, byte[] bytes) {
    JsonNode node = read(bytes);
    long claimOffset = node.path("claimOffset").asLong(StoredEntity.CLAIM);
    if (id.isKek()) {
      Map<String, String> props = new LinkedHashMap<>();
      node.path("kmsProps").properties().forEach(e -> props.put(e.getKey(), e.getValue().asText()));
      RegisteredKek kek =
          new RegisteredKek(
              id.kekName(),
              required(node, "kmsType"),
              required(node, "kmsKeyId"),
              props,
              text(node, "doc"),
              node.path("shared").asBoolean(false),
              node.path("ts").asLong(0L),
              node.path("deleted").asBoolean(false));
      return new StoredEntity(kek, null, claimOffset);
    }
    RegisteredDek dek =
        new RegisteredDek(
            id.kekName(),
            id.subject(),
            id.version(),
            id.algorithm(),
            Base64.getDecoder().decode(required(node, "encryptedKeyMaterial")),
            null,
            node.path("ts").asLong(0L),
            node.path("deleted").asBoolean(false));
    return new StoredEntity(null, dek, claimOffset);
  }

  private static ObjectNode entityNode(EntityId id) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("kek", id.kekName());
    if (!id.isKek()) {
      node.put("subject", id.subject());
      node.put("algorithm", id.algorithm().name());
      node.put("version", id.version());
    }
    return node;
  }

  private static DekAlgorithm algorithm(String name) {
    if (name == null) {
      throw new IllegalArgumentException("DEK key without algorithm");
    }
    try {
      return DekAlgorithm.parse(name);
    } catch (CryptoException e) {
      throw new IllegalArgumentException("unknown algorithm", e);
    }
  }

  private static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw new IllegalArgumentException("missing '" + field + "'");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static JsonNode read(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      // Jackson's message can quote the bytes: leave it out.
      throw new IllegalArgumentException("not valid JSON");
    }
  }

  private static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise a key topic record", e);
    }
  }
}
