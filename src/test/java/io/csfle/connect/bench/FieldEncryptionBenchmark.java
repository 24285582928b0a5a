package io.csfle.connect.bench;

import com.google.crypto.tink.subtle.AesGcmJce;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.transforms.CollectingPluginMetrics;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import io.csfle.connect.transforms.FieldCryptoTransform;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.logging.log4j.core.config.Configurator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of {@code EncryptField$Value} and {@code DecryptField$Value} on three record shapes,
 * each against the raw cost of the same AES-256-GCM operations in Tink: a 10-field Struct with
 * three encrypted 20-40 character STRING fields ({@code encryptFieldSmt}), the same record as a
 * schemaless {@code Map<String, Object>} of 10 entries, a HashMap as {@code JsonConverter} makes it
 * ({@code encryptMapSmt}), and a Struct with one encrypted 1 KiB STRING field ({@code
 * encrypt1KiBSmt}). One op is one record. Not a test: run it with {@code scripts/bench} (see {@link
 * BenchmarkReport}).
 *
 * <p>The transforms run against an in-process DEK registry with a {@code local-kms} KEK. One record
 * goes through each transform in {@link #setUp}, so the KEK/DEK creation, registry reads and KMS
 * unwrap of the first record are not measured: what is measured is the steady state, where the docs
 * promise no registry or KMS call per record (docs/performance.md).
 *
 * <p>Each transform has a raw twin ({@code rawTinkEncrypt3}, {@code rawTinkDecryptMap3}, {@code
 * rawTinkEncrypt1KiB}, ...) that encrypts the same strings with {@link AesGcmJce} and an empty AAD,
 * UTF-8 included: the encrypt twin turns each String into UTF-8 bytes and encrypts them, the
 * decrypt twin decrypts the raw ciphertext and makes the String. That is the plaintext work any
 * field encryption of a String does; what the twin leaves out is the record handling and
 * Confluent's base64 text of the ciphertext. The Map twins do the same work as the Struct twins;
 * they exist so that each shape is measured next to a twin of its own in the paired rounds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FieldEncryptionBenchmark {
  /**
   * Distinct records cycled per op (a power of two), so no value is constant across ops: 16 by
   * default, which keeps every input in the near caches as a hot loop does; {@code
   * -Dbench.records=N} ({@code BENCH_JAVA_OPTS=-Dbench.records=16384 scripts/bench}, passed on to
   * the forks) cycles through more records than the caches hold, as a worker meets each record
   * once.
   */
  static final int RECORDS = recordCount(Integer.getInteger("bench.records", 16));

  /** Characters of the large field (all ASCII, so also its UTF-8 bytes). */
  static final int LARGE_CHARS = 1024;

  private static final int MASK = RECORDS - 1;
  private static final String TOPIC = "customers";
  private static final byte[] EMPTY_AAD = new byte[0];
  private static final String[] PII = {"email", "phone", "ssn"};

  static final Schema VALUE_SCHEMA =
      SchemaBuilder.struct()
          .name("io.csfle.bench.Customer")
          .field("id", Schema.INT64_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("phone", Schema.STRING_SCHEMA)
          .field("ssn", Schema.STRING_SCHEMA)
          .field("city", Schema.STRING_SCHEMA)
          .field("country", Schema.STRING_SCHEMA)
          .field("age", Schema.INT32_SCHEMA)
          .field("active", Schema.BOOLEAN_SCHEMA)
          .field("createdAt", Schema.INT64_SCHEMA)
          .build();

  static final Schema NOTE_SCHEMA =
      SchemaBuilder.struct()
          .name("io.csfle.bench.Note")
          .field("id", Schema.INT64_SCHEMA)
          .field("author", Schema.STRING_SCHEMA)
          .field("body", Schema.STRING_SCHEMA)
          .field("createdAt", Schema.INT64_SCHEMA)
          .build();

  private InMemoryDekRegistryServer registry;
  private EncryptField.Value<SourceRecord> encrypt;
  private DecryptField.Value<SourceRecord> decrypt;
  private EncryptField.Value<SourceRecord> encryptLarge;
  private DecryptField.Value<SourceRecord> decryptLarge;

  private Shape struct;
  private Shape map;
  private Shape large;

  private AesGcmJce rawAead;
  private int next;

  /** One record shape: plain and encrypted records, and the raw twin's inputs. */
  private static final class Shape {
    final SourceRecord[] plain = new SourceRecord[RECORDS];
    final SourceRecord[] encrypted = new SourceRecord[RECORDS];

    /** [record][field] the plaintext strings the transform encrypts. */
    final String[][] strings = new String[RECORDS][];

    /** [record][field] raw Tink ciphertexts of their UTF-8 bytes. */
    final byte[][][] ciphertexts = new byte[RECORDS][][];
  }

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    // The KEK/DEK creation INFO lines would land in the middle of JMH's iteration output.
    Configurator.setLevel("io.csfle.connect", org.apache.logging.log4j.Level.WARN);
    registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    encrypt = configured(new EncryptField.Value<>(), "email,phone,ssn", "encrypt");
    decrypt = configured(new DecryptField.Value<>(), "email,phone,ssn", "decrypt");
    encryptLarge = configured(new EncryptField.Value<>(), "body", "encrypt-large");
    decryptLarge = configured(new DecryptField.Value<>(), "body", "decrypt-large");
    byte[] rawKey = new byte[32];
    new SecureRandom().nextBytes(rawKey);
    rawAead = new AesGcmJce(rawKey);

    struct = new Shape();
    map = new Shape();
    large = new Shape();
    for (int i = 0; i < RECORDS; i++) {
      Struct value = customer(i);
      String[] strings = new String[PII.length];
      for (int f = 0; f < PII.length; f++) {
        strings[f] = value.getString(PII[f]);
        if (strings[f].length() < 20 || strings[f].length() > 40) {
          throw new IllegalStateException(PII[f] + " should have 20-40 chars: " + strings[f]);
        }
      }
      add(struct, i, record(i, VALUE_SCHEMA, value), strings, encrypt);
      add(map, i, record(i, null, asMap(value)), strings, encrypt);
      Struct note = note(i);
      add(
          large,
          i,
          record(i, NOTE_SCHEMA, note),
          new String[] {note.getString("body")},
          encryptLarge);
    }
    verifyRoundTrip(struct, decrypt);
    verifyRoundTrip(map, decrypt);
    verifyRoundTrip(large, decryptLarge);
  }

  private <T extends FieldCryptoTransform<SourceRecord>> T configured(
      T transform, String fields, String alias) {
    transform.configure(
        Map.of(
            "fields", fields,
            "schema.registry.url", registry.url(),
            "encrypt.kek.name", "bench_kek",
            "encrypt.kms.type", "local-kms",
            "encrypt.kms.key.id", "bench_kek",
            "kms.secret", "benchmark-local-kms-secret"));
    // As in a Connect 4.1+ worker, so that the per-record timing metrics are measured too.
    transform.withPluginMetrics(new CollectingPluginMetrics(Map.of("transformation", alias)));
    return transform;
  }

  private void add(
      Shape shape,
      int i,
      SourceRecord plain,
      String[] strings,
      EncryptField.Value<SourceRecord> encryptor)
      throws GeneralSecurityException {
    shape.plain[i] = plain;
    // The first apply() of each transform creates/reads the KEK and DEK and unwraps it.
    shape.encrypted[i] = encryptor.apply(plain);
    shape.strings[i] = strings;
    shape.ciphertexts[i] = new byte[strings.length][];
    for (int f = 0; f < strings.length; f++) {
      shape.ciphertexts[i][f] = rawAead.encrypt(utf8(strings[f]), EMPTY_AAD);
    }
  }

  private static SourceRecord record(int i, Schema schema, Object value) {
    return new SourceRecord(
        Map.of("table", "customers"),
        Map.of("position", (long) i),
        TOPIC,
        0,
        Schema.STRING_SCHEMA,
        "customer-" + i,
        schema,
        value);
  }

  /**
   * Fails the run early if the transforms do not round-trip (e.g. a broken build): every field
   * changed by encryption, and the whole record back by decryption.
   */
  private static void verifyRoundTrip(Shape shape, DecryptField.Value<SourceRecord> decryptor) {
    for (int i = 0; i < RECORDS; i++) {
      Object plain = shape.plain[i].value();
      Object encrypted = shape.encrypted[i].value();
      Object decrypted = decryptor.apply(shape.encrypted[i]).value();
      if (encrypted.equals(plain) || !decrypted.equals(plain)) {
        throw new IllegalStateException(
            "Record " + i + " did not round-trip through EncryptField/DecryptField");
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (FieldCryptoTransform<?> transform :
        new FieldCryptoTransform<?>[] {encrypt, decrypt, encryptLarge, decryptLarge}) {
      if (transform != null) {
        transform.close();
      }
    }
    if (registry != null) {
      registry.close();
    }
  }

  private int nextIndex() {
    int i = next;
    next = i + 1;
    return i & MASK;
  }

  @Benchmark
  public SourceRecord encryptFieldSmt() {
    return encrypt.apply(struct.plain[nextIndex()]);
  }

  @Benchmark
  public SourceRecord decryptFieldSmt() {
    return decrypt.apply(struct.encrypted[nextIndex()]);
  }

  @Benchmark
  public void rawTinkEncrypt3(Blackhole bh) throws GeneralSecurityException {
    rawEncrypt(struct, bh);
  }

  @Benchmark
  public void rawTinkDecrypt3(Blackhole bh) throws GeneralSecurityException {
    rawDecrypt(struct, bh);
  }

  @Benchmark
  public SourceRecord encryptMapSmt() {
    return encrypt.apply(map.plain[nextIndex()]);
  }

  @Benchmark
  public SourceRecord decryptMapSmt() {
    return decrypt.apply(map.encrypted[nextIndex()]);
  }

  @Benchmark
  public void rawTinkEncryptMap3(Blackhole bh) throws GeneralSecurityException {
    rawEncrypt(map, bh);
  }

  @Benchmark
  public void rawTinkDecryptMap3(Blackhole bh) throws GeneralSecurityException {
    rawDecrypt(map, bh);
  }

  @Benchmark
  public SourceRecord encrypt1KiBSmt() {
    return encryptLarge.apply(large.plain[nextIndex()]);
  }

  @Benchmark
  public SourceRecord decrypt1KiBSmt() {
    return decryptLarge.apply(large.encrypted[nextIndex()]);
  }

  @Benchmark
  public void rawTinkEncrypt1KiB(Blackhole bh) throws GeneralSecurityException {
    rawEncrypt(large, bh);
  }

  @Benchmark
  public void rawTinkDecrypt1KiB(Blackhole bh) throws GeneralSecurityException {
    rawDecrypt(large, bh);
  }

  /** The raw twin of an encryption: UTF-8 of each string, then AES-GCM. */
  private void rawEncrypt(Shape shape, Blackhole bh) throws GeneralSecurityException {
    String[] strings = shape.strings[nextIndex()];
    for (String s : strings) {
      bh.consume(rawAead.encrypt(utf8(s), EMPTY_AAD));
    }
  }

  /** The raw twin of a decryption: AES-GCM, then the String of the UTF-8 plaintext. */
  private void rawDecrypt(Shape shape, Blackhole bh) throws GeneralSecurityException {
    byte[][] ciphertexts = shape.ciphertexts[nextIndex()];
    for (byte[] c : ciphertexts) {
      bh.consume(new String(rawAead.decrypt(c, EMPTY_AAD), StandardCharsets.UTF_8));
    }
  }

  /** A customer whose three encrypted fields are 20 to 40 characters long. */
  static Struct customer(int i) {
    String n = String.format("%04d", i);
    return new Struct(VALUE_SCHEMA)
        .put("id", 1_000_000L + i)
        .put("name", "Customer Number " + n)
        .put("email", "customer." + n + "@example-corp.com") // 30 chars
        .put("phone", "+1-555-01" + n + " ext. " + (100 + i)) // 22 chars
        .put("ssn", String.format("US-SSN:%03d-%02d-%04d/TIN", 100 + i, 10 + i, 1000 + i)) // 22
        .put("city", i % 2 == 0 ? "Amsterdam" : "Lisbon")
        .put("country", i % 2 == 0 ? "NL" : "PT")
        .put("age", 20 + i)
        .put("active", i % 3 != 0)
        .put("createdAt", 1_700_000_000_000L + i * 60_000L);
  }

  /**
   * The customer as JsonConverter hands a schemaless JSON object to a transform: a HashMap whose
   * keys are Strings of their own, decoded with each record.
   */
  static Map<String, Object> asMap(Struct customer) {
    Map<String, Object> map = new HashMap<>();
    for (Field field : customer.schema().fields()) {
      map.put(new String(field.name().toCharArray()), customer.get(field));
    }
    return map;
  }

  /** {@code records}, checked to be a power of two of at least 16. */
  static int recordCount(int records) {
    if (records < 16 || Integer.bitCount(records) != 1) {
      throw new IllegalArgumentException(
          "bench.records must be a power of two of at least 16: " + records);
    }
    return records;
  }

  /** A note whose body, the encrypted field, is {@link #LARGE_CHARS} ASCII characters. */
  static Struct note(int i) {
    StringBuilder body = new StringBuilder(LARGE_CHARS);
    for (int w = 0; body.length() < LARGE_CHARS; w++) {
      body.append("note ").append(i).append(" line ").append(w * 31 + i).append(": follow-up; ");
    }
    body.setLength(LARGE_CHARS);
    return new Struct(NOTE_SCHEMA)
        .put("id", 5_000_000L + i)
        .put("author", "agent-" + (i % 4))
        .put("body", body.toString())
        .put("createdAt", 1_700_000_000_000L + i * 60_000L);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
