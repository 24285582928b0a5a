package io.csfle.connect.store.rest;

import static io.csfle.connect.store.rest.RegistryPaths.KEKS;
import static io.csfle.connect.store.rest.RegistryPaths.algorithm;
import static io.csfle.connect.store.rest.RegistryPaths.dekPath;
import static io.csfle.connect.store.rest.RegistryPaths.deleted;
import static io.csfle.connect.store.rest.RegistryPaths.kekPath;
import static io.csfle.connect.store.rest.RegistryPaths.permanent;
import static io.csfle.connect.store.rest.RegistryPaths.query;
import static io.csfle.connect.store.rest.RegistryPaths.versionPath;

import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
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
  public Optional<RegisteredDek> getDek(DekSubject dek, int version, boolean includeDeleted) {
    requirePositive(version);
    String path = versionPath(dek, Integer.toString(version));
    Response r = transport.send("GET", path + query(algorithm(dek), deleted(includeDeleted)), null);
    return optional(r, describe("get DEK", dek, version), body -> readDek(body, dek, version));
  }

  @Override
  public Optional<RegisteredDek> getLatestDek(DekSubject dek, boolean includeDeleted) {
    if (!latestUnsupported) {
      String path = versionPath(dek, "latest");
      Response r =
          transport.send("GET", path + query(algorithm(dek), deleted(includeDeleted)), null);
      if (r.status() == 422) {
        // AxonOps accepts only positive integers here; stop asking.
        latestUnsupported = true;
        log.info("DEK registry rejects /versions/latest (HTTP 422); listing versions instead");
      } else if (r.status() != 404) {
        return Optional.of(
            required(r, describe("get latest DEK", dek, 0), body -> readDek(body, dek, 0)));
      }
      // 404: absent on Confluent, but a server may not know "latest" either; the list decides.
    }
    List<Integer> versions = listDekVersions(dek, includeDeleted);
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    return getDek(dek, versions.get(versions.size() - 1), includeDeleted);
  }

  @Override
  public List<Integer> listDekVersions(DekSubject dek, boolean includeDeleted) {
    String path = dekPath(dek) + "/versions";
    Response r =
        transport.sendForList("GET", path + query(algorithm(dek), deleted(includeDeleted)));
    return optional(
            r,
            "list versions of DEK (kek '" + dek.kekName() + "', subject '" + dek.subject() + "')",
            RegistryJson::readVersions)
        .orElse(List.of());
  }

  @Override
  public RegisteredDek createDek(NewDek dek) {
    requirePositive(dek.version());
    DekSubject subject = dek.dekSubject();
    byte[] body = RegistryJson.createDekBody(dek);
    String algorithmQuery = query(algorithm(subject));
    Response r = null;
    if (!subjectPostUnsupported) {
      r = transport.send("POST", dekPath(subject) + algorithmQuery, body);
      if (r.status() == 405) {
        subjectPostUnsupported = true;
        log.info("DEK registry has no POST .../deks/{subject} (HTTP 405); using POST .../deks");
        r = null;
      }
    }
    if (r == null) {
      r = transport.send("POST", kekPath(subject.kekName()) + "/deks" + algorithmQuery, body);
    }
    String operation = describe("create DEK", subject, dek.version());
    RegisteredDek created = required(r, operation, b -> readDek(b, subject, dek.version()));
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
  public void deleteDek(DekSubject dek, boolean permanent) {
    String path = dekPath(dek) + query(algorithm(dek), permanent(permanent));
    succeeded(transport.send("DELETE", path, null), describe("delete DEK", dek, 0));
  }

  @Override
  public void deleteDekVersion(DekSubject dek, int version, boolean permanent) {
    requirePositive(version);
    String path =
        versionPath(dek, Integer.toString(version)) + query(algorithm(dek), permanent(permanent));
    succeeded(transport.send("DELETE", path, null), describe("delete DEK", dek, version));
  }

  @Override
  public void undeleteDek(DekSubject dek) {
    String path = dekPath(dek) + "/undelete" + query(algorithm(dek));
    succeeded(transport.send("POST", path, null), describe("undelete DEK", dek, 0));
  }

  @Override
  public void undeleteDekVersion(DekSubject dek, int version) {
    requirePositive(version);
    String path = versionPath(dek, Integer.toString(version)) + "/undelete" + query(algorithm(dek));
    succeeded(transport.send("POST", path, null), describe("undelete DEK", dek, version));
  }

  /**
   * REJECTED when the server answers with another version than the one posted: AxonOps ignores the
   * body and re-wraps its latest version, which is not what an operator re-wrapping version N asked
   * for.
   */
  @Override
  public RegisteredDek rewrapDek(NewDek dek) {
    requirePositive(dek.version());
    DekSubject subject = dek.dekSubject();
    String path = dekPath(subject) + query(algorithm(subject), "rewrap=true");
    Response r = transport.send("POST", path, RegistryJson.createDekBody(dek));
    String operation = describe("re-wrap DEK", subject, dek.version());
    RegisteredDek rewrapped = required(r, operation, b -> readDek(b, subject, dek.version()));
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

  private static RegisteredDek readDek(byte[] body, DekSubject dek, int version) {
    return RegistryJson.readDek(body, dek.kekName(), dek.subject(), version, dek.algorithm());
  }

  private static String describe(String action, DekSubject dek, int version) {
    return action
        + " (kek '"
        + dek.kekName()
        + "', subject '"
        + dek.subject()
        + "'"
        + (version > 0 ? ", version " + version : "")
        + ", "
        + dek.algorithm()
        + ")";
  }

  private static void requirePositive(int version) {
    if (version < 1) {
      throw new IllegalArgumentException("DEK version must be >= 1, got " + version);
    }
  }
}
