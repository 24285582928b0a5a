package io.csfle.connect.store.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csfle.connect.store.rest.InMemoryDekRegistryEntities.ApiError;
import io.csfle.connect.store.rest.InMemoryDekRegistryRoutes.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The few Schema Registry calls Confluent's serializers make, served next to the DEK Registry by
 * {@link InMemoryDekRegistryServer#serveSchemas}: {@code GET /subjects/{s}/versions/latest}, {@code
 * GET /subjects/{s}/versions/{v}} and {@code GET /schemas/ids/{id}}. Schemas (with their rule set,
 * where Confluent's CSFLE rules live) are registered by the test through {@link #register}; there
 * is no compatibility checking and no schema parsing, only Confluent's response shapes (an Avro
 * schema answers without {@code schemaType}, as Confluent's does).
 */
public final class InMemorySchemaRegistry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Registered(int id, String subject, int version, String schema, JsonNode ruleSet) {}

  private final List<Registered> byId = new CopyOnWriteArrayList<>();
  private final Map<String, List<Registered>> bySubject = new ConcurrentHashMap<>();

  /**
   * Registers an Avro {@code schema} (JSON text) with an optional {@code ruleSet} under {@code
   * subject} as its next version; returns the new schema id.
   */
  public synchronized int register(String subject, String schema, JsonNode ruleSet) {
    List<Registered> versions = bySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    Registered r = new Registered(byId.size() + 1, subject, versions.size() + 1, schema, ruleSet);
    versions.add(r);
    byId.add(r);
    return r.id();
  }

  /** {@code segments}: the decoded path segments; answers 404 for anything it does not serve. */
  Reply route(String method, List<String> s, Map<String, String> query) {
    if (!method.equals("GET")) {
      return InMemoryDekRegistryRoutes.notAllowed();
    }
    if (s.size() == 3 && s.get(0).equals("schemas") && s.get(1).equals("ids")) {
      Registered r = byId(s.get(2));
      return new Reply(200, schemaBody(r));
    }
    if (s.size() == 4 && s.get(0).equals("subjects") && s.get(2).equals("versions")) {
      List<Registered> versions = bySubject.get(s.get(1));
      if (versions == null || versions.isEmpty()) {
        throw new ApiError(404, 40401, "Subject '" + s.get(1) + "' not found.");
      }
      Registered r = version(versions, s.get(3));
      ObjectNode body = schemaBody(r);
      body.put("subject", r.subject());
      body.put("version", r.version());
      body.put("id", r.id());
      return new Reply(200, body);
    }
    return InMemoryDekRegistryRoutes.notFound();
  }

  private Registered byId(String raw) {
    int id = parse(raw, 40403, "Schema not found");
    if (id < 1 || id > byId.size()) {
      throw new ApiError(404, 40403, "Schema " + id + " not found");
    }
    return byId.get(id - 1);
  }

  private static Registered version(List<Registered> versions, String raw) {
    if (raw.equals("latest") || raw.equals("-1")) {
      return versions.get(versions.size() - 1);
    }
    int v = parse(raw, 42202, "Invalid version");
    if (v < 1 || v > versions.size()) {
      throw new ApiError(404, 40402, "Version " + v + " not found.");
    }
    return versions.get(v - 1);
  }

  private static int parse(String raw, int errorCode, String message) {
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new ApiError(422, errorCode, message);
    }
  }

  private static ObjectNode schemaBody(Registered r) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", r.schema());
    if (r.ruleSet() != null) {
      body.set("ruleSet", r.ruleSet());
    }
    return body;
  }
}
