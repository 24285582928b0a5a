package io.csfle.connect.store.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.rest.InMemoryDekRegistryEntities.ApiError;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Maps {@code /dek-registry/v1/keks/...} requests (path already split into decoded segments) to
 * {@link InMemoryDekRegistryStore} calls. Calls without a result answer like each server: Confluent
 * 204 with no body, AxonOps 200 with {@code {"name":..}} or {@code {"subject":..}}.
 */
final class InMemoryDekRegistryRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status and JSON body ({@code null} for no body). */
  record Reply(int status, JsonNode body) {}

  private final Mode mode;
  private final InMemoryDekRegistryStore store;

  InMemoryDekRegistryRoutes(Mode mode, InMemoryDekRegistryStore store) {
    this.mode = mode;
    this.store = store;
  }

  /** {@code segments} are those after {@code /dek-registry/v1/keks}. */
  Reply route(String method, List<String> s, Map<String, String> query, byte[] body) {
    boolean deleted = "true".equals(query.get("deleted"));
    boolean permanent = "true".equals(query.get("permanent"));
    int n = s.size();
    if (n == 0) {
      return switch (method) {
        case "GET" -> ok(store.listKeks(deleted));
        case "POST" -> ok(store.createKek(json(body)));
        default -> notAllowed();
      };
    }
    String kek = s.get(0);
    if (n == 1) {
      return switch (method) {
        case "GET" -> ok(store.getKek(kek, deleted));
        case "PUT" -> ok(store.updateKek(kek, json(body)));
        case "DELETE" -> done(() -> store.deleteKek(kek, permanent), "name", kek);
        default -> notAllowed();
      };
    }
    if (n == 2 && s.get(1).equals("undelete")) {
      return method.equals("POST") ? done(() -> store.undeleteKek(kek), "name", kek) : notAllowed();
    }
    if (!s.get(1).equals("deks")) {
      return notFound();
    }
    DekAlgorithm algorithm = algorithm(query);
    if (n == 2) {
      return switch (method) {
        case "GET" -> ok(store.listSubjects(kek, deleted));
        case "POST" -> ok(store.createDek(kek, null, json(body), algorithm));
        default -> notAllowed();
      };
    }
    String subject = s.get(2);
    if (n == 3) {
      return switch (method) {
        case "GET" -> ok(store.getDekUnversioned(kek, subject, algorithm, deleted));
        case "POST" ->
            "true".equals(query.get("rewrap"))
                ? ok(store.rewrapDek(kek, subject, json(body), algorithm))
                : ok(store.createDek(kek, subject, json(body), algorithm));
        case "DELETE" ->
            done(
                () -> store.deleteDek(kek, subject, null, algorithm, permanent),
                "subject",
                subject);
        default -> notAllowed();
      };
    }
    if (n == 4 && s.get(3).equals("undelete")) {
      return method.equals("POST")
          ? done(() -> store.undeleteDek(kek, subject, null, algorithm), "subject", subject)
          : notAllowed();
    }
    if (!s.get(3).equals("versions")) {
      return notFound();
    }
    if (n == 4) {
      return method.equals("GET")
          ? ok(store.listVersions(kek, subject, algorithm, deleted))
          : notAllowed();
    }
    String version = s.get(4);
    if (n == 5) {
      return switch (method) {
        case "GET" -> ok(store.getDekVersion(kek, subject, version, algorithm, deleted));
        case "DELETE" ->
            done(
                () -> store.deleteDek(kek, subject, version, algorithm, permanent),
                "subject",
                subject);
        default -> notAllowed();
      };
    }
    if (n == 6 && s.get(5).equals("undelete")) {
      return method.equals("POST")
          ? done(() -> store.undeleteDek(kek, subject, version, algorithm), "subject", subject)
          : notAllowed();
    }
    return notFound();
  }

  /** POST {@code .../keks/{name}/deks} or {@code .../deks/{subject}} without {@code rewrap}. */
  static boolean isDekCreate(String method, List<String> s, Map<String, String> query) {
    return method.equals("POST")
        && (s.size() == 2 || s.size() == 3)
        && s.get(1).equals("deks")
        && !"true".equals(query.get("rewrap"));
  }

  /** POST {@code .../keks/{name}/deks/{subject}} (create or rewrap). */
  static boolean isSubjectDekPost(String method, List<String> s) {
    return method.equals("POST") && s.size() == 3 && s.get(1).equals("deks");
  }

  private Reply done(Runnable action, String field, String value) {
    action.run();
    return mode == Mode.CONFLUENT
        ? new Reply(204, null)
        : new Reply(200, JSON.createObjectNode().put(field, value));
  }

  private static DekAlgorithm algorithm(Map<String, String> query) {
    String name = query.get("algorithm");
    if (name == null) {
      return null;
    }
    try {
      return DekAlgorithm.parse(name);
    } catch (CryptoException e) {
      throw new ApiError(422, 42271, "Invalid algorithm: " + name);
    }
  }

  private static JsonNode json(byte[] body) {
    try {
      JsonNode node = body.length == 0 ? null : JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new ApiError(400, 400, "Request body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ApiError(400, 400, "Invalid JSON in request body");
    }
  }

  private static Reply ok(JsonNode body) {
    return new Reply(200, body);
  }

  static Reply notFound() {
    throw new ApiError(404, 404, "HTTP 404 Not Found");
  }

  static Reply notAllowed() {
    throw new ApiError(405, 405, "HTTP 405 Method Not Allowed");
  }
}
