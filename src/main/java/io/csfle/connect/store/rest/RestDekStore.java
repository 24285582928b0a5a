package io.csfle.connect.store.rest;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import io.csfle.connect.store.rest.RegistryHttpTransport.Response;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DekStore} over Confluent's DEK Registry REST API, written to work unchanged against
 * Confluent and AxonOps servers: creates always carry an explicit version, versions are read with
 * {@code /versions/N}, "latest" falls back to listing versions where a server rejects it, and
 * creates fall back to {@code POST .../deks} where a server has no per-subject POST. The two
 * fallbacks are remembered per instance so each costs one extra request at most once.
 *
 * <p>Outcomes are decided by HTTP status alone (never the body's {@code error_code}). Transport
 * concerns (retries, failover, auth) live in {@link RegistryHttpTransport}; JSON in {@link
 * RegistryJson}. Thread-safe.
 */
public final class RestDekStore implements DekStoreAdmin {
  private static final Logger log = LoggerFactory.getLogger(RestDekStore.class);
  private static final String KEKS = "/dek-registry/v1/keks";

  private final RegistryHttpTransport transport;
  // Learned server quirks; racing threads may each learn them once, which is harmless.
  private volatile boolean latestUnsupported;
  private volatile boolean subjectPostUnsupported;

  public RestDekStore(RegistryClientConfig config) {
    this.transport = new RegistryHttpTransport(Objects.requireNonNull(config, "config"));
  }

  @Override
  public Optional<RegisteredKek> getKek(String name, boolean includeDeleted) {
    Response r = transport.send("GET", kekPath(name) + query(deleted(includeDeleted)), null);
    return optional(r, "get KEK '" + name + "'", RegistryJson::readKek);
  }

  @Override
  public RegisteredKek createKek(NewKek kek) {
    Response r = transport.send("POST", KEKS, RegistryJson.createKekBody(kek));
    return required(r, "create KEK '" + kek.name() + "'", RegistryJson::readKek);
  }

  @Override
  public Optional<RegisteredDek> getDek(
      String kekName, String subject, int version, DekAlgorithm algorithm, boolean includeDeleted) {
    requirePositive(version);
    String path = versionPath(kekName, subject, Integer.toString(version));
    Response r =
        transport.send("GET", path + query(algorithm(algorithm), deleted(includeDeleted)), null);
    return optional(
        r,
        describe("get DEK", kekName, subject, version, algorithm),
        body -> RegistryJson.readDek(body, kekName, subject, version, algorithm));
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(
      String kekName, String subject, DekAlgorithm algorithm, boolean includeDeleted) {
    if (!latestUnsupported) {
      String path = versionPath(kekName, subject, "latest");
      Response r =
          transport.send("GET", path + query(algorithm(algorithm), deleted(includeDeleted)), null);
      if (r.status() == 422) {
        // AxonOps accepts only positive integers here; stop asking.
        latestUnsupported = true;
        log.info("DEK registry rejects /versions/latest (HTTP 422); listing versions instead");
      } else if (r.status() != 404) {
        return Optional.of(
            required(
                r,
                describe("get latest DEK", kekName, subject, 0, algorithm),
                body -> RegistryJson.readDek(body, kekName, subject, 0, algorithm)));
      }
      // 404: absent on Confluent, but a server may not know "latest" either; the list decides.
    }
    List<Integer> versions = listDekVersions(kekName, subject, algorithm, includeDeleted);
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    return getDek(kekName, subject, versions.get(versions.size() - 1), algorithm, includeDeleted);
  }

  @Override
  public List<Integer> listDekVersions(
      String kekName, String subject, DekAlgorithm algorithm, boolean includeDeleted) {
    String path = dekPath(kekName, subject) + "/versions";
    Response r =
        transport.sendForList("GET", path + query(algorithm(algorithm), deleted(includeDeleted)));
    return optional(
            r,
            "list versions of DEK (kek '" + kekName + "', subject '" + subject + "')",
            RegistryJson::readVersions)
        .orElse(List.of());
  }

  @Override
  public RegisteredDek createDek(String kekName, NewDek dek) {
    requirePositive(dek.version());
    byte[] body = RegistryJson.createDekBody(dek);
    String algorithmQuery = query(algorithm(dek.algorithm()));
    Response r = null;
    if (!subjectPostUnsupported) {
      r = transport.send("POST", dekPath(kekName, dek.subject()) + algorithmQuery, body);
      if (r.status() == 405) {
        subjectPostUnsupported = true;
        log.info("DEK registry has no POST .../deks/{subject} (HTTP 405); using POST .../deks");
        r = null;
      }
    }
    if (r == null) {
      r = transport.send("POST", kekPath(kekName) + "/deks" + algorithmQuery, body);
    }
    String operation =
        describe("create DEK", kekName, dek.subject(), dek.version(), dek.algorithm());
    RegisteredDek created = required(r, operation, b -> readDek(b, kekName, dek));
    if (created.version() != dek.version()) {
      // A server that picks its own version would let two racing writers both "win".
      throw new DekStoreException(
          DekStoreException.Kind.REJECTED,
          r.status(),
          operation + ": server created version " + created.version() + " instead");
    }
    return created;
  }

  @Override
  public List<String> listKeks(boolean includeDeleted) {
    Response r = transport.sendForList("GET", KEKS + query(deleted(includeDeleted)));
    return required(r, "list KEKs", b -> RegistryJson.readStringList(b, "KEK names"));
  }

  /** Null {@code kmsProps} or {@code doc} leave the stored values unchanged. */
  @Override
  public RegisteredKek updateKek(
      String name, Map<String, String> kmsProps, String doc, boolean shared) {
    Response r =
        transport.send("PUT", kekPath(name), RegistryJson.updateKekBody(kmsProps, doc, shared));
    return required(r, "update KEK '" + name + "'", RegistryJson::readKek);
  }

  @Override
  public void deleteKek(String name, boolean permanent) {
    Response r = transport.send("DELETE", kekPath(name) + query(permanent(permanent)), null);
    succeeded(r, "delete KEK '" + name + "'");
  }

  @Override
  public void undeleteKek(String name) {
    succeeded(
        transport.send("POST", kekPath(name) + "/undelete", null), "undelete KEK '" + name + "'");
  }

  /** NOT_FOUND when the KEK does not exist. */
  @Override
  public List<String> listDekSubjects(String kekName, boolean includeDeleted) {
    String path = kekPath(kekName) + "/deks" + query(deleted(includeDeleted));
    Response r = transport.sendForList("GET", path);
    return required(
        r,
        "list DEK subjects of KEK '" + kekName + "'",
        b -> RegistryJson.readStringList(b, "DEK subjects"));
  }

  @Override
  public void deleteDek(String kekName, String subject, DekAlgorithm algorithm, boolean permanent) {
    String path = dekPath(kekName, subject) + query(algorithm(algorithm), permanent(permanent));
    succeeded(
        transport.send("DELETE", path, null),
        describe("delete DEK", kekName, subject, 0, algorithm));
  }

  @Override
  public void deleteDekVersion(
      String kekName, String subject, int version, DekAlgorithm algorithm, boolean permanent) {
    requirePositive(version);
    String path =
        versionPath(kekName, subject, Integer.toString(version))
            + query(algorithm(algorithm), permanent(permanent));
    succeeded(
        transport.send("DELETE", path, null),
        describe("delete DEK", kekName, subject, version, algorithm));
  }

  @Override
  public void undeleteDek(String kekName, String subject, DekAlgorithm algorithm) {
    String path = dekPath(kekName, subject) + "/undelete" + query(algorithm(algorithm));
    succeeded(
        transport.send("POST", path, null),
        describe("undelete DEK", kekName, subject, 0, algorithm));
  }

  @Override
  public void undeleteDekVersion(
      String kekName, String subject, int version, DekAlgorithm algorithm) {
    requirePositive(version);
    String path =
        versionPath(kekName, subject, Integer.toString(version))
            + "/undelete"
            + query(algorithm(algorithm));
    succeeded(
        transport.send("POST", path, null),
        describe("undelete DEK", kekName, subject, version, algorithm));
  }

  /**
   * REJECTED when the server answers with another version than the one posted: AxonOps ignores the
   * body and re-wraps its latest version, which is not what an operator re-wrapping version N asked
   * for.
   */
  @Override
  public RegisteredDek rewrapDek(String kekName, NewDek dek) {
    requirePositive(dek.version());
    String path =
        dekPath(kekName, dek.subject()) + query(algorithm(dek.algorithm()), "rewrap=true");
    Response r = transport.send("POST", path, RegistryJson.createDekBody(dek));
    String operation =
        describe("re-wrap DEK", kekName, dek.subject(), dek.version(), dek.algorithm());
    RegisteredDek rewrapped = required(r, operation, b -> readDek(b, kekName, dek));
    if (rewrapped.version() != dek.version()) {
      throw new DekStoreException(
          DekStoreException.Kind.REJECTED,
          r.status(),
          operation + ": server re-wrapped version " + rewrapped.version() + " instead");
    }
    return rewrapped;
  }

  @Override
  public void close() {
    transport.close();
  }

  // ---- response handling ----

  private <T> Optional<T> optional(Response r, String operation, Function<byte[], T> reader) {
    if (r.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(required(r, operation, reader));
  }

  private <T> T required(Response r, String operation, Function<byte[], T> reader) {
    succeeded(r, operation);
    try {
      return reader.apply(r.body());
    } catch (RegistryJson.MalformedException e) {
      // The reason may quote a value the server sent (an unknown algorithm name, say).
      throw new DekStoreException(
          DekStoreException.Kind.REJECTED,
          r.status(),
          operation + ": " + transport.scrubber().serverText(e.getMessage()));
    }
  }

  private void succeeded(Response r, String operation) {
    int status = r.status();
    if (status >= 200 && status < 300) {
      return;
    }
    DekStoreException.Kind kind =
        switch (status) {
          case 404 -> DekStoreException.Kind.NOT_FOUND;
          case 409 -> DekStoreException.Kind.CONFLICT;
          default -> DekStoreException.Kind.REJECTED;
        };
    throw new DekStoreException(
        kind,
        status,
        "DEK registry " + operation + " failed: HTTP " + status + transport.serverMessage(r));
  }

  private static RegisteredDek readDek(byte[] body, String kekName, NewDek dek) {
    return RegistryJson.readDek(body, kekName, dek.subject(), dek.version(), dek.algorithm());
  }

  private static String describe(
      String action, String kekName, String subject, int version, DekAlgorithm algorithm) {
    return action
        + " (kek '"
        + kekName
        + "', subject '"
        + subject
        + "'"
        + (version > 0 ? ", version " + version : "")
        + ", "
        + algorithm
        + ")";
  }

  private static void requirePositive(int version) {
    if (version < 1) {
      throw new IllegalArgumentException("DEK version must be >= 1, got " + version);
    }
  }

  // ---- URLs ----

  private static String kekPath(String kekName) {
    return KEKS + "/" + UrlPathSegment.encode(kekName);
  }

  private static String dekPath(String kekName, String subject) {
    return kekPath(kekName) + "/deks/" + UrlPathSegment.encode(subject);
  }

  private static String versionPath(String kekName, String subject, String version) {
    return dekPath(kekName, subject) + "/versions/" + version;
  }

  private static String algorithm(DekAlgorithm algorithm) {
    return "algorithm=" + Objects.requireNonNull(algorithm, "algorithm").name();
  }

  private static String deleted(boolean includeDeleted) {
    return includeDeleted ? "deleted=true" : null;
  }

  private static String permanent(boolean permanent) {
    return permanent ? "permanent=true" : null;
  }

  private static String query(String... params) {
    StringBuilder q = new StringBuilder();
    for (String param : params) {
      if (param != null) {
        q.append(q.length() == 0 ? '?' : '&').append(param);
      }
    }
    return q.toString();
  }
}
