package io.csfle.connect.store.rest;

import static io.csfle.connect.store.rest.InMemoryDekRegistryEntities.alreadyExists;
import static io.csfle.connect.store.rest.InMemoryDekRegistryEntities.base64;
import static io.csfle.connect.store.rest.InMemoryDekRegistryEntities.invalid;
import static io.csfle.connect.store.rest.InMemoryDekRegistryEntities.notFound;
import static io.csfle.connect.store.rest.InMemoryDekRegistryEntities.required;
import static io.csfle.connect.store.rest.InMemoryDekRegistryEntities.stringMap;
import static io.csfle.connect.store.rest.InMemoryDekRegistryEntities.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.rest.InMemoryDekRegistryEntities.ApiError;
import io.csfle.connect.store.rest.InMemoryDekRegistryEntities.Dek;
import io.csfle.connect.store.rest.InMemoryDekRegistryEntities.Kek;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The data and the rules of {@link InMemoryDekRegistryServer}, per {@link Mode}. Confluent rules
 * follow Confluent's {@code DekStore}/{@code DekRegistryResource}; AxonOps rules follow its {@code
 * handlers/dek.go} and {@code storage/memory/store.go}. Every public-facing method is synchronized:
 * one lock, like a single-node registry, so racing creates are decided one at a time.
 *
 * <p>Shared KEKs: the server generates the key proto with {@link KeyMaterial#generate}. With a
 * server-side local KMS ({@link #serverLocalKms}) it does what a real server does for a {@code
 * local-kms} KEK: stores only the wrapped bytes and unwraps them whenever it hands {@code
 * keyMaterial} out (Confluent also unwraps DEKs a client posted once their KEK is shared). Without
 * one it keeps the plaintext, and {@code encryptedKeyMaterial} is whatever the installed shared-DEK
 * wrapper returns, or absent when there is none.
 */
final class InMemoryDekRegistryStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Confluent keys DEKs by algorithm too; AxonOps allows one algorithm per version. */
  private record DekId(String kekName, String subject, String algorithm, int version) {}

  private final Mode mode;
  private final Map<String, Kek> keks = new TreeMap<>();
  private final Map<DekId, Dek> deks = new HashMap<>();
  private volatile LongSupplier clock = System::currentTimeMillis;
  private volatile UnaryOperator<byte[]> sharedDekWrapper;
  private volatile io.csfle.connect.kms.Kek serverLocalKms;
  private volatile boolean unknownFields;

  InMemoryDekRegistryStore(Mode mode) {
    this.mode = mode;
  }

  void clock(LongSupplier clock) {
    this.clock = clock;
  }

  void sharedDekWrapper(UnaryOperator<byte[]> wrapper) {
    this.sharedDekWrapper = wrapper;
  }

  /** The server's own KMS for {@code local-kms} KEKs; null for none. */
  void serverLocalKms(io.csfle.connect.kms.Kek kms) {
    this.serverLocalKms = kms;
  }

  void unknownFields(boolean include) {
    this.unknownFields = include;
  }

  // ---- KEKs ----

  synchronized JsonNode listKeks(boolean includeDeleted) {
    ArrayNode names = JSON.createArrayNode();
    keks.values().stream()
        .filter(k -> includeDeleted || !k.deleted())
        .forEach(k -> names.add(k.name()));
    return names;
  }

  synchronized JsonNode getKek(String name, boolean includeDeleted) {
    return kek(name, includeDeleted).toJson(mode, unknownFields);
  }

  synchronized JsonNode createKek(JsonNode body) {
    String name = text(body, "name");
    if (name == null || (mode == Mode.CONFLUENT && !isConfluentKekName(name))) {
      throw invalid("name");
    }
    String kmsType = required(body, "kmsType");
    String kmsKeyId = required(body, "kmsKeyId");
    Kek kek =
        new Kek(
            name,
            kmsType,
            kmsKeyId,
            stringMap(body.get("kmsProps")),
            text(body, "doc"),
            body.path("shared").asBoolean(false),
            clock.getAsLong(),
            false);
    Kek old = keks.get(name);
    // Confluent lets a create of an identical KEK revive a soft-deleted one; AxonOps never does.
    boolean revives =
        mode == Mode.CONFLUENT && old != null && old.deleted() && old.sameSettings(kek);
    if (old != null && !revives) {
      throw alreadyExists(name);
    }
    keks.put(name, kek);
    return kekJson(kek);
  }

  synchronized JsonNode updateKek(String name, JsonNode body) {
    Kek old = kek(name, false);
    JsonNode props = body.get("kmsProps");
    String doc = text(body, "doc");
    JsonNode shared = body.get("shared");
    Kek kek =
        new Kek(
            name,
            old.kmsType(),
            old.kmsKeyId(),
            props == null || props.isNull() ? old.kmsProps() : stringMap(props),
            doc == null || doc.isEmpty() ? old.doc() : doc,
            shared == null || shared.isNull() ? old.shared() : shared.asBoolean(),
            clock.getAsLong(),
            false);
    keks.put(name, kek);
    return kekJson(kek);
  }

  /**
   * Confluent: absent is a no-op, DEKs still using the KEK block it (422), permanent needs a soft
   * delete first (404). AxonOps: absent is 404, permanent works at once and takes the DEKs along.
   */
  synchronized void deleteKek(String name, boolean permanent) {
    Kek kek = keks.get(name);
    if (kek == null) {
      if (mode == Mode.AXONOPS) {
        throw kekNotFound(name);
      }
      return; // Confluent: deleting an absent KEK is a no-op.
    }
    if (mode == Mode.AXONOPS) {
      if (permanent) {
        keks.remove(name);
        deks.keySet().removeIf(id -> id.kekName.equals(name));
      } else {
        keks.put(name, kek.withDeleted(true, clock.getAsLong()));
      }
      return;
    }
    Predicate<Dek> blocking = permanent ? d -> true : d -> !d.deleted();
    if (deks.values().stream().anyMatch(d -> d.kekName().equals(name) && blocking.test(d))) {
      throw new ApiError(422, 42272, "Key '" + name + "' is still referenced by DEKs");
    }
    if (permanent) {
      requireSoftDeleted(kek.deleted(), name);
      keks.remove(name);
    } else if (!kek.deleted()) {
      keks.put(name, kek.withDeleted(true, clock.getAsLong()));
    }
  }

  synchronized void undeleteKek(String name) {
    Kek kek = keks.get(name);
    if (mode == Mode.AXONOPS && (kek == null || !kek.deleted())) {
      throw kekNotFound(name);
    }
    if (kek != null && kek.deleted()) {
      keks.put(name, kek.withDeleted(false, clock.getAsLong()));
    }
  }

  // ---- DEKs ----

  synchronized JsonNode listSubjects(String kekName, boolean includeDeleted) {
    kek(kekName, includeDeleted || mode == Mode.AXONOPS);
    TreeSet<String> subjects = new TreeSet<>();
    deks.values().stream()
        .filter(d -> d.kekName().equals(kekName) && (includeDeleted || !d.deleted()))
        .forEach(d -> subjects.add(d.subject()));
    ArrayNode array = JSON.createArrayNode();
    subjects.forEach(array::add);
    return array;
  }

  /**
   * POST {@code .../deks[/{subject}]}. Confluent: version defaults to 1 (409 if it exists).
   * AxonOps: version defaults to max + 1 over every version of the subject, so a create without a
   * version never conflicts.
   */
  synchronized JsonNode createDek(
      String kekName, String pathSubject, JsonNode body, DekAlgorithm queryAlgorithm) {
    Kek kek = kek(kekName, mode == Mode.AXONOPS);
    String subject = pathSubject != null ? pathSubject : required(body, "subject");
    DekAlgorithm algorithm = bodyAlgorithm(body, queryAlgorithm);
    JsonNode versionNode = body.get("version");
    int version;
    if (versionNode == null || versionNode.isNull() || versionNode.asInt() <= 0) {
      if (mode == Mode.CONFLUENT && versionNode != null && !versionNode.isNull()) {
        throw invalid("version");
      }
      version = mode == Mode.CONFLUENT ? 1 : maxVersion(kekName, subject) + 1;
    } else {
      version = versionNode.asInt();
    }
    byte[] encrypted = base64(body, "encryptedKeyMaterial");
    byte[] plaintext = null;
    if (encrypted == null) {
      if (!kek.shared()) {
        throw invalid("encryptedKeyMaterial");
      }
      plaintext = KeyMaterial.generate(algorithm);
      encrypted = wrapShared(kek, plaintext);
      if (servesWithKms(kek)) {
        plaintext = null; // a real server keeps only what the KMS wrapped
      }
    }
    Dek dek =
        new Dek(
            kekName, subject, version, algorithm, encrypted, plaintext, clock.getAsLong(), false);
    DekId id = id(kekName, subject, algorithm, version);
    Dek old = deks.get(id);
    boolean revives =
        mode == Mode.CONFLUENT
            && old != null
            && old.deleted()
            && old.algorithm() == algorithm
            && Arrays.equals(old.encryptedKeyMaterial(), encrypted);
    if (old != null && !revives) {
      throw alreadyExists(subject);
    }
    deks.put(id, dek);
    return dekJson(kek, dek, kek.shared());
  }

  /**
   * POST {@code ...?rewrap=true}. Confluent stores the posted material for the posted version;
   * AxonOps ignores the body and re-wraps its latest version server-side (here: with the shared-DEK
   * wrapper when it has the key, otherwise the stored bytes stay as they are).
   */
  synchronized JsonNode rewrapDek(
      String kekName, String subject, JsonNode body, DekAlgorithm queryAlgorithm) {
    Kek kek = kek(kekName, mode == Mode.AXONOPS);
    Dek old;
    byte[] encrypted;
    if (mode == Mode.AXONOPS) {
      old = latest(kekName, subject, queryAlgorithm, false).orElseThrow(() -> dekNotFound(subject));
      byte[] plaintext = plaintextOf(kek, old);
      encrypted = plaintext != null ? wrapShared(kek, plaintext) : old.encryptedKeyMaterial();
    } else {
      DekAlgorithm algorithm = bodyAlgorithm(body, queryAlgorithm);
      int version = body.path("version").asInt(1);
      old = deks.get(id(kekName, subject, algorithm, version));
      if (old == null || old.deleted()) {
        throw dekNotFound(subject);
      }
      encrypted = base64(body, "encryptedKeyMaterial");
      if (encrypted == null) {
        byte[] plaintext = plaintextOf(kek, old);
        encrypted = plaintext != null ? wrapShared(kek, plaintext) : old.encryptedKeyMaterial();
      }
    }
    Dek dek =
        new Dek(
            kekName,
            subject,
            old.version(),
            old.algorithm(),
            encrypted,
            old.keyMaterial(),
            clock.getAsLong(),
            false);
    deks.put(id(kekName, subject, old.algorithm(), old.version()), dek);
    return dekJson(kek, dek, mode == Mode.CONFLUENT && kek.shared());
  }

  /** GET {@code .../deks/{subject}}: version 1 on Confluent, the latest on AxonOps. */
  synchronized JsonNode getDekUnversioned(
      String kekName, String subject, DekAlgorithm algorithm, boolean includeDeleted) {
    return mode == Mode.CONFLUENT
        ? getDekVersion(kekName, subject, "1", algorithm, includeDeleted)
        : getDekVersion(kekName, subject, "-1", algorithm, includeDeleted, true);
  }

  synchronized JsonNode getDekVersion(
      String kekName, String subject, String version, DekAlgorithm algorithm, boolean deleted) {
    return getDekVersion(kekName, subject, version, algorithm, deleted, false);
  }

  private JsonNode getDekVersion(
      String kekName,
      String subject,
      String versionText,
      DekAlgorithm algorithm,
      boolean includeDeleted,
      boolean internalLatest) {
    Kek kek = kek(kekName, includeDeleted || mode == Mode.AXONOPS);
    int version = parseVersion(versionText, internalLatest);
    DekAlgorithm effective = mode == Mode.CONFLUENT ? orDefault(algorithm) : algorithm;
    Optional<Dek> dek =
        version == -1
            ? latest(kekName, subject, effective, includeDeleted)
            : Optional.ofNullable(deks.get(id(kekName, subject, effective, version)))
                .filter(d -> effective == null || d.algorithm() == effective)
                .filter(d -> includeDeleted || !d.deleted());
    // Confluent hands shared-KEK key material out on every read; AxonOps only on create.
    return dekJson(
        kek, dek.orElseThrow(() -> dekNotFound(subject)), mode == Mode.CONFLUENT && kek.shared());
  }

  synchronized JsonNode listVersions(
      String kekName, String subject, DekAlgorithm algorithm, boolean includeDeleted) {
    kek(kekName, includeDeleted || mode == Mode.AXONOPS);
    DekAlgorithm effective = mode == Mode.CONFLUENT ? orDefault(algorithm) : algorithm;
    ArrayNode versions = JSON.createArrayNode();
    matching(kekName, subject, effective).stream()
        .filter(d -> includeDeleted || !d.deleted())
        .map(Dek::version)
        .sorted()
        .forEach(versions::add);
    return versions;
  }

  /** DELETE of every version ({@code version == null}) or of one version. */
  synchronized void deleteDek(
      String kekName,
      String subject,
      String versionText,
      DekAlgorithm algorithm,
      boolean permanent) {
    List<Dek> targets = targets(kekName, subject, versionText, algorithm);
    if (targets.isEmpty() && mode == Mode.AXONOPS) {
      throw dekNotFound(subject);
    }
    if (permanent && mode == Mode.CONFLUENT) {
      for (Dek d : targets) {
        requireSoftDeleted(d.deleted(), subject);
      }
    }
    for (Dek d : targets) {
      DekId id = id(d.kekName(), d.subject(), d.algorithm(), d.version());
      if (permanent) {
        deks.remove(id);
      } else {
        deks.put(id, d.withDeleted(true, clock.getAsLong()));
      }
    }
  }

  /** POST {@code .../undelete} of every version ({@code version == null}) or of one version. */
  synchronized void undeleteDek(
      String kekName, String subject, String versionText, DekAlgorithm algorithm) {
    Kek kek = keks.get(kekName);
    if (mode == Mode.CONFLUENT && kek != null && kek.deleted()) {
      throw new ApiError(404, 40472, "Key '" + kekName + "' must be undeleted first");
    }
    List<Dek> targets = targets(kekName, subject, versionText, algorithm);
    targets.removeIf(d -> !d.deleted());
    if (targets.isEmpty() && mode == Mode.AXONOPS) {
      throw dekNotFound(subject);
    }
    for (Dek d : targets) {
      deks.put(
          id(d.kekName(), d.subject(), d.algorithm(), d.version()),
          d.withDeleted(false, clock.getAsLong()));
    }
  }

  // ---- helpers ----

  private List<Dek> targets(
      String kekName, String subject, String versionText, DekAlgorithm algorithm) {
    DekAlgorithm effective = mode == Mode.CONFLUENT ? orDefault(algorithm) : algorithm;
    List<Dek> all = matching(kekName, subject, effective);
    if (versionText != null) {
      int version = parseVersion(versionText, false);
      all.removeIf(d -> d.version() != version);
    }
    return all;
  }

  private List<Dek> matching(String kekName, String subject, DekAlgorithm algorithm) {
    List<Dek> result = new ArrayList<>();
    for (Dek d : deks.values()) {
      if (d.kekName().equals(kekName)
          && d.subject().equals(subject)
          && (algorithm == null || d.algorithm() == algorithm)) {
        result.add(d);
      }
    }
    return result;
  }

  private Optional<Dek> latest(
      String kekName, String subject, DekAlgorithm algorithm, boolean includeDeleted) {
    return matching(kekName, subject, algorithm).stream()
        .filter(d -> includeDeleted || !d.deleted())
        .max(Comparator.comparingInt(Dek::version));
  }

  private int maxVersion(String kekName, String subject) {
    return matching(kekName, subject, null).stream().mapToInt(Dek::version).max().orElse(0);
  }

  /** -1 means latest. AxonOps accepts only positive integers from clients (422 otherwise). */
  private int parseVersion(String text, boolean internalLatest) {
    if (internalLatest) {
      return -1;
    }
    if (mode == Mode.CONFLUENT && text.equals("latest")) {
      return -1;
    }
    try {
      int version = Integer.parseInt(text);
      if (version >= 1 || (mode == Mode.CONFLUENT && version == -1)) {
        return version;
      }
    } catch (NumberFormatException e) {
      // fall through to the 422
    }
    throw new ApiError(422, 42202, "Invalid version: must be a positive integer");
  }

  private Kek kek(String name, boolean includeDeleted) {
    Kek kek = keks.get(name);
    if (kek == null || (kek.deleted() && !includeDeleted)) {
      throw kekNotFound(name);
    }
    return kek;
  }

  private DekId id(String kekName, String subject, DekAlgorithm algorithm, int version) {
    String algorithmKey = mode == Mode.CONFLUENT ? orDefault(algorithm).name() : "*";
    return new DekId(kekName, subject, algorithmKey, version);
  }

  private DekAlgorithm bodyAlgorithm(JsonNode body, DekAlgorithm queryAlgorithm) {
    String name = text(body, "algorithm");
    if (name == null) {
      return orDefault(queryAlgorithm);
    }
    try {
      return DekAlgorithm.parse(name);
    } catch (CryptoException e) {
      throw invalid("algorithm");
    }
  }

  /** True when the server's own KMS wraps and unwraps the DEKs of {@code kek}. */
  private boolean servesWithKms(Kek kek) {
    return serverLocalKms != null && LocalKekProvider.KMS_TYPE.equals(kek.kmsType());
  }

  private byte[] wrapShared(Kek kek, byte[] plaintext) {
    if (servesWithKms(kek)) {
      return serverLocalKms.wrap(plaintext);
    }
    UnaryOperator<byte[]> wrapper = sharedDekWrapper;
    return wrapper == null ? null : wrapper.apply(plaintext.clone());
  }

  /**
   * The plaintext key proto of {@code dek}: kept, or unwrapped with the server's KMS (a real server
   * asks the KMS each time); null when the server cannot know it.
   */
  private byte[] plaintextOf(Kek kek, Dek dek) {
    if (dek.keyMaterial() != null) {
      return dek.keyMaterial();
    }
    if (!servesWithKms(kek) || dek.encryptedKeyMaterial() == null) {
      return null;
    }
    try {
      return serverLocalKms.unwrap(dek.encryptedKeyMaterial());
    } catch (KmsException e) {
      // Confluent answers 500 when its KMS cannot unwrap a shared KEK's DEK.
      throw new ApiError(500, 50070, "Cannot unwrap the DEK of shared key '" + kek.name() + "'");
    }
  }

  /**
   * Confluent's rule: 1 to 64 characters, a letter or {@code _} first, then letters, digits, {@code
   * _} or {@code -} (so {@code pii-kek} is a valid name).
   */
  private static boolean isConfluentKekName(String name) {
    if (name.isEmpty() || name.length() > 64) {
      return false;
    }
    if (!(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
      return false;
    }
    return name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-');
  }

  private static void requireSoftDeleted(boolean deleted, String name) {
    if (!deleted) {
      // Confluent answers 404 here, with its own error code.
      throw new ApiError(
          404, 40471, "Key '" + name + "' was not deleted first before being permanently deleted");
    }
  }

  private static DekAlgorithm orDefault(DekAlgorithm algorithm) {
    return algorithm == null ? DekAlgorithm.AES256_GCM : algorithm;
  }

  private ObjectNode kekJson(Kek kek) {
    return kek.toJson(mode, unknownFields);
  }

  private ObjectNode dekJson(Kek kek, Dek dek, boolean withKeyMaterial) {
    byte[] keyMaterial = withKeyMaterial ? plaintextOf(kek, dek) : null;
    return dek.toJson(mode, keyMaterial, unknownFields);
  }

  private static ApiError kekNotFound(String name) {
    return notFound(name);
  }

  private static ApiError dekNotFound(String subject) {
    return notFound(subject);
  }
}
