package io.csfle.connect.bench;

import com.google.crypto.tink.subtle.AesGcmJce;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.MissingFieldPolicy;
import io.csfle.connect.field.RecordRewriter;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** Pieces of the per-record work of the transforms, to see where the time goes. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FieldEncryptionBreakdownBenchmark {
  private static final int MASK = FieldEncryptionBenchmark.RECORDS - 1;
  private static final byte[] EMPTY_AAD = new byte[0];

  private AesGcmJce aead;
  private Struct[] plain;
  private String[][] plainStrings;
  private String[][] base64Ciphertexts;
  private byte[][][] rawCiphertexts;
  private SourceRecord[] records;
  private Field[] fields;
  private Field[] passive;
  private Field[] action;
  private RecordRewriter rewriter;
  private byte[][] largeCiphertexts;
  private String[] largeBase64;
  private Map<String, Object>[] maps;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    aead = new AesGcmJce(key);
    int n = FieldEncryptionBenchmark.RECORDS;
    plain = new Struct[n];
    plainStrings = new String[n][3];
    base64Ciphertexts = new String[n][3];
    rawCiphertexts = new byte[n][3][];
    records = new SourceRecord[n];
    List<Field> all = FieldEncryptionBenchmark.VALUE_SCHEMA.fields();
    fields = all.toArray(new Field[0]);
    action = new Field[] {all.get(2), all.get(3), all.get(4)};
    passive =
        new Field[] {
          all.get(0), all.get(1), all.get(5), all.get(6), all.get(7), all.get(8), all.get(9)
        };
    for (int i = 0; i < n; i++) {
      plain[i] = FieldEncryptionBenchmark.customer(i);
      for (int f = 0; f < 3; f++) {
        plainStrings[i][f] = plain[i].getString(action[f].name());
        rawCiphertexts[i][f] =
            aead.encrypt(plainStrings[i][f].getBytes(StandardCharsets.UTF_8), EMPTY_AAD);
        base64Ciphertexts[i][f] = Base64.getEncoder().encodeToString(rawCiphertexts[i][f]);
      }
      records[i] =
          new SourceRecord(
              Map.of("t", "c"),
              Map.of("p", (long) i),
              "customers",
              0,
              null,
              "k" + i,
              FieldEncryptionBenchmark.VALUE_SCHEMA,
              plain[i]);
    }
    largeCiphertexts = new byte[n][];
    largeBase64 = new String[n];
    @SuppressWarnings("unchecked")
    Map<String, Object>[] customerMaps = new Map[n];
    maps = customerMaps;
    for (int i = 0; i < n; i++) {
      String body = FieldEncryptionBenchmark.note(i).getString("body");
      largeCiphertexts[i] = aead.encrypt(body.getBytes(StandardCharsets.UTF_8), EMPTY_AAD);
      largeBase64[i] = Base64.getEncoder().encodeToString(largeCiphertexts[i]);
      maps[i] = FieldEncryptionBenchmark.asMap(plain[i]);
    }
    // The transforms' record walker with a rewrite that costs nothing: what is left is the plan
    // lookup and the Struct copy.
    rewriter =
        new RecordRewriter(
            FieldPath.parseAll(List.of("email", "phone", "ssn")),
            SchemaRewrite.UNCHANGED,
            MissingFieldPolicy.FAIL,
            64);
  }

  private static final String CIPHERTEXT =
      "bm90IGEgcmVhbCBjaXBoZXJ0ZXh0LCBqdXN0IHRoZSBzaXplIG9mIG9uZQ==";

  /** The value side: a constant, so only the walk is measured. */
  private static final ValueRewrite CONSTANT = (path, schema, value) -> CIPHERTEXT;

  private int nextIndex() {
    int i = next;
    next = i + 1;
    return i & MASK;
  }

  /** FieldEncryptor's own work for 3 fields: UTF-8, AES-GCM, base64. */
  @Benchmark
  public void utf8EncryptBase64x3(Blackhole bh) throws GeneralSecurityException {
    String[] s = plainStrings[nextIndex()];
    for (int f = 0; f < 3; f++) {
      bh.consume(
          Base64.getEncoder()
              .encodeToString(aead.encrypt(s[f].getBytes(StandardCharsets.UTF_8), EMPTY_AAD)));
    }
  }

  /** FieldDecryptor's own work for 3 fields: base64, AES-GCM, UTF-8. */
  @Benchmark
  public void base64DecryptUtf8x3(Blackhole bh) throws GeneralSecurityException {
    String[] s = base64Ciphertexts[nextIndex()];
    for (int f = 0; f < 3; f++) {
      bh.consume(
          new String(
              aead.decrypt(Base64.getDecoder().decode(s[f]), EMPTY_AAD), StandardCharsets.UTF_8));
    }
  }

  /** Only the base64 part of encrypting 3 fields (ciphertext bytes to String). */
  @Benchmark
  public void base64Encode3(Blackhole bh) {
    byte[][] c = rawCiphertexts[nextIndex()];
    for (int f = 0; f < 3; f++) {
      bh.consume(Base64.getEncoder().encodeToString(c[f]));
    }
  }

  /** Only the base64 part of decrypting 3 fields (String to ciphertext bytes). */
  @Benchmark
  public void base64Decode3(Blackhole bh) {
    String[] s = base64Ciphertexts[nextIndex()];
    for (int f = 0; f < 3; f++) {
      bh.consume(Base64.getDecoder().decode(s[f]));
    }
  }

  /** The base64 part of encrypting the 1 KiB field: ciphertext bytes to String. */
  @Benchmark
  public String base64Encode1KiB() {
    return Base64.getEncoder().encodeToString(largeCiphertexts[nextIndex()]);
  }

  /** The base64 part of decrypting the 1 KiB field: String to ciphertext bytes. */
  @Benchmark
  public byte[] base64Decode1KiB() {
    return Base64.getDecoder().decode(largeBase64[nextIndex()]);
  }

  /**
   * What the schemaless walk adds to a record of 10 entries: the order-keeping copy of the map (the
   * input is never changed) and the 3 rewritten values put into it.
   */
  @Benchmark
  public Map<String, Object> mapCopyPut3() {
    int i = nextIndex();
    Map<String, Object> copy = new LinkedHashMap<>(maps[i]);
    String[] c = base64Ciphertexts[i];
    for (int f = 0; f < 3; f++) {
      copy.put(action[f].name(), c[f]);
    }
    return copy;
  }

  /**
   * StructPlan before it put each field once: copy all 10 fields, then overwrite the 3 rewritten
   * ones (13 puts).
   */
  @Benchmark
  public Struct structCopyAllThenOverwrite() {
    int i = nextIndex();
    Struct in = plain[i];
    Struct out = new Struct(in.schema());
    for (Field f : fields) {
      out.put(f, in.get(f));
    }
    String[] c = base64Ciphertexts[i];
    for (int f = 0; f < 3; f++) {
      out.put(action[f], c[f]);
    }
    return out;
  }

  /** StructPlan now: copy the 7 passive fields and put the 3 rewritten ones (10 puts). */
  @Benchmark
  public Struct structCopyPassivePutRewritten() {
    int i = nextIndex();
    Struct in = plain[i];
    Struct out = new Struct(in.schema());
    for (Field f : passive) {
      out.put(f, in.get(f));
    }
    String[] c = base64Ciphertexts[i];
    for (int f = 0; f < 3; f++) {
      out.put(action[f], c[f]);
    }
    return out;
  }

  /** The project's RecordRewriter (plan lookup, StructPlan copy) with a free rewrite. */
  @Benchmark
  public Object recordRewriterOnly() {
    return rewriter
        .rewrite(FieldEncryptionBenchmark.VALUE_SCHEMA, plain[nextIndex()], CONSTANT)
        .value();
  }

  /** What every SMT pays to hand a new value back: SourceRecord.newRecord. */
  @Benchmark
  public SourceRecord newRecord() {
    SourceRecord r = records[nextIndex()];
    return r.newRecord(
        r.topic(),
        r.kafkaPartition(),
        r.keySchema(),
        r.key(),
        r.valueSchema(),
        r.value(),
        r.timestamp(),
        r.headers());
  }
}
