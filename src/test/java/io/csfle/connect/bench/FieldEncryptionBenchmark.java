package io.csfle.connect.bench;

import com.google.crypto.tink.subtle.AesGcmJce;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.transforms.CollectingPluginMetrics;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Throughput of {@code EncryptField$Value} and {@code DecryptField$Value} on a 10-field Struct with
 * three encrypted STRING fields, against the raw cost of the same three AES-256-GCM operations in
 * Tink. One op is one record. Not a test: run it with {@code scripts/bench} (see {@link
 * BenchmarkReport}).
 *
 * <p>The transforms run against an in-process DEK registry with a {@code local-kms} KEK. One record
 * goes through each transform in {@link #setUp}, so the KEK/DEK creation, registry reads and KMS
 * unwrap of the first record are not measured: what is measured is the steady state, where the docs
 * promise no registry or KMS call per record (docs/performance.md).
 *
 * <p>{@code rawTinkEncrypt3}/{@code rawTinkDecrypt3} encrypt/decrypt the UTF-8 bytes of the same
 * three strings (precomputed) with {@link AesGcmJce} and an empty AAD: the cipher cost alone, with
 * no string encoding, base64 or record handling.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FieldEncryptionBenchmark {
  /** Distinct records cycled per op (a power of two), so no value is constant across ops. */
  static final int RECORDS = 16;

  private static final int MASK = RECORDS - 1;
  private static final String TOPIC = "customers";
  private static final byte[] EMPTY_AAD = new byte[0];

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

  private InMemoryDekRegistryServer registry;
  private EncryptField.Value<SourceRecord> encrypt;
  private DecryptField.Value<SourceRecord> decrypt;

  private SourceRecord[] plainRecords;
  private SourceRecord[] encryptedRecords;

  private AesGcmJce rawAead;

  /** [record][field] UTF-8 plaintexts of email, phone, ssn. */
  private byte[][][] rawPlaintexts;

  /** [record][field] raw Tink ciphertexts of the same. */
  private byte[][][] rawCiphertexts;

  private int next;

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    // The KEK/DEK creation INFO lines would land in the middle of JMH's iteration output.
    Configurator.setLevel("io.csfle.connect", org.apache.logging.log4j.Level.WARN);
    registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    Map<String, String> config =
        Map.of(
            "fields", "email,phone,ssn",
            "schema.registry.url", registry.url(),
            "encrypt.kek.name", "bench_kek",
            "encrypt.kms.type", "local-kms",
            "encrypt.kms.key.id", "bench_kek",
            "kms.secret", "benchmark-local-kms-secret");
    encrypt = new EncryptField.Value<>();
    encrypt.configure(config);
    decrypt = new DecryptField.Value<>();
    decrypt.configure(config);
    // As in a Connect 4.1+ worker, so that the per-record timing metrics are measured too.
    encrypt.withPluginMetrics(new CollectingPluginMetrics(Map.of("transformation", "encrypt")));
    decrypt.withPluginMetrics(new CollectingPluginMetrics(Map.of("transformation", "decrypt")));

    plainRecords = new SourceRecord[RECORDS];
    encryptedRecords = new SourceRecord[RECORDS];
    rawPlaintexts = new byte[RECORDS][][];
    rawCiphertexts = new byte[RECORDS][][];
    byte[] rawKey = new byte[32];
    new SecureRandom().nextBytes(rawKey);
    rawAead = new AesGcmJce(rawKey);

    for (int i = 0; i < RECORDS; i++) {
      Struct value = customer(i);
      for (String field : new String[] {"email", "phone", "ssn"}) {
        int length = value.getString(field).length();
        if (length < 20 || length > 40) {
          throw new IllegalStateException(field + " should have 20-40 chars, has " + length);
        }
      }
      plainRecords[i] =
          new SourceRecord(
              Map.of("table", "customers"),
              Map.of("position", (long) i),
              TOPIC,
              0,
              Schema.STRING_SCHEMA,
              "customer-" + i,
              VALUE_SCHEMA,
              value);
      // The first apply() of each transform creates/reads the KEK and DEK and unwraps it.
      encryptedRecords[i] = encrypt.apply(plainRecords[i]);
      rawPlaintexts[i] =
          new byte[][] {
            utf8(value.getString("email")),
            utf8(value.getString("phone")),
            utf8(value.getString("ssn"))
          };
      rawCiphertexts[i] = new byte[3][];
      for (int f = 0; f < 3; f++) {
        rawCiphertexts[i][f] = rawAead.encrypt(rawPlaintexts[i][f], EMPTY_AAD);
      }
    }
    verifyRoundTrip();
  }

  /** Fails the run early if the transforms do not round-trip (e.g. a broken build). */
  private void verifyRoundTrip() {
    for (int i = 0; i < RECORDS; i++) {
      Struct plain = (Struct) plainRecords[i].value();
      Struct encrypted = (Struct) encryptedRecords[i].value();
      Struct decrypted = (Struct) decrypt.apply(encryptedRecords[i]).value();
      for (String field : new String[] {"email", "phone", "ssn"}) {
        if (encrypted.getString(field).equals(plain.getString(field))
            || !decrypted.getString(field).equals(plain.getString(field))) {
          throw new IllegalStateException(
              "Field "
                  + field
                  + " of record "
                  + i
                  + " did not"
                  + " round-trip through EncryptField/DecryptField");
        }
      }
      if (!decrypted.equals(plain)) {
        throw new IllegalStateException("Record " + i + " changed in a round trip");
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (encrypt != null) {
      encrypt.close();
    }
    if (decrypt != null) {
      decrypt.close();
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
    return encrypt.apply(plainRecords[nextIndex()]);
  }

  @Benchmark
  public SourceRecord decryptFieldSmt() {
    return decrypt.apply(encryptedRecords[nextIndex()]);
  }

  @Benchmark
  public void rawTinkEncrypt3(Blackhole bh) throws GeneralSecurityException {
    byte[][] fields = rawPlaintexts[nextIndex()];
    bh.consume(rawAead.encrypt(fields[0], EMPTY_AAD));
    bh.consume(rawAead.encrypt(fields[1], EMPTY_AAD));
    bh.consume(rawAead.encrypt(fields[2], EMPTY_AAD));
  }

  @Benchmark
  public void rawTinkDecrypt3(Blackhole bh) throws GeneralSecurityException {
    byte[][] fields = rawCiphertexts[nextIndex()];
    bh.consume(rawAead.decrypt(fields[0], EMPTY_AAD));
    bh.consume(rawAead.decrypt(fields[1], EMPTY_AAD));
    bh.consume(rawAead.decrypt(fields[2], EMPTY_AAD));
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

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
