package io.csfle.connect.bench;

import com.google.crypto.tink.subtle.AesGcmJce;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.MissingFieldPolicy;
import io.csfle.connect.field.RecordRewriter;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

/**
 * The pieces of one record's work in the transforms, each timed alone on the records of {@link
 * FieldEncryptionBenchmark} (one op = one record's worth of the piece): the project's cipher on the
 * record's values (UTF-8 included, as the raw twins do it), the base64 text of the ciphertexts as
 * {@code CiphertextFormat} makes and reads it (a per-thread scratch array, then a copy into or out
 * of the String), the record walk with a rewrite that costs nothing (plan lookup, the copy of the
 * Struct or Map with the new values put), {@code newRecord}, and the two clock reads of the
 * per-record timing. {@link CostBudget} sets their sum beside the transforms and the twins.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FieldEncryptionBreakdownBenchmark {
  private static final int MASK = FieldEncryptionBenchmark.RECORDS - 1;
  private static final byte[] EMPTY_AAD = new byte[0];
  private static final Base64.Encoder ENCODER = Base64.getEncoder();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private AesGcmJce aead;
  private FieldCipher cipher;
  private String[][] plainStrings;
  private byte[][][] ciphertexts;
  private String[][] base64Ciphertexts;
  private Struct[] structs;
  private Map<String, Object>[] maps;
  private SourceRecord[] records;
  private String[] largeStrings;
  private byte[][] largeCiphertexts;
  private String[] largeBase64;
  private Struct[] notes;
  private RecordRewriter threeFields;
  private RecordRewriter body;
  private final byte[] encodeScratch = new byte[4096];
  private final byte[] decodeScratch = new byte[4096];
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    aead = new AesGcmJce(key);
    cipher =
        FieldCipher.of(
            DekAlgorithm.AES256_GCM, KeyMaterial.serialize(DekAlgorithm.AES256_GCM, key.clone()));
    int n = FieldEncryptionBenchmark.RECORDS;
    String[] pii = {"email", "phone", "ssn"};
    plainStrings = new String[n][3];
    ciphertexts = new byte[n][3][];
    base64Ciphertexts = new String[n][3];
    structs = new Struct[n];
    @SuppressWarnings("unchecked")
    Map<String, Object>[] customerMaps = new Map[n];
    maps = customerMaps;
    records = new SourceRecord[n];
    largeStrings = new String[n];
    largeCiphertexts = new byte[n][];
    largeBase64 = new String[n];
    notes = new Struct[n];
    for (int i = 0; i < n; i++) {
      structs[i] = FieldEncryptionBenchmark.customer(i);
      maps[i] = FieldEncryptionBenchmark.asMap(structs[i]);
      for (int f = 0; f < 3; f++) {
        plainStrings[i][f] = structs[i].getString(pii[f]);
        ciphertexts[i][f] = cipher.encrypt(utf8(plainStrings[i][f]));
        base64Ciphertexts[i][f] = ENCODER.encodeToString(ciphertexts[i][f]);
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
              structs[i]);
      notes[i] = FieldEncryptionBenchmark.note(i);
      largeStrings[i] = notes[i].getString("body");
      largeCiphertexts[i] = cipher.encrypt(utf8(largeStrings[i]));
      largeBase64[i] = ENCODER.encodeToString(largeCiphertexts[i]);
    }
    threeFields = walker("email", "phone", "ssn");
    body = walker("body");
  }

  private static RecordRewriter walker(String... fields) {
    return new RecordRewriter(
        FieldPath.parseAll(List.of(fields)), SchemaRewrite.UNCHANGED, MissingFieldPolicy.FAIL, 64);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final String CIPHERTEXT =
      "bm90IGEgcmVhbCBjaXBoZXJ0ZXh0LCBqdXN0IHRoZSBzaXplIG9mIG9uZQ==";

  /** The value side: a constant, so only the walk and the copy are measured. */
  private static final ValueRewrite CONSTANT = (path, schema, value) -> CIPHERTEXT;

  private int nextIndex() {
    int i = next;
    next = i + 1;
    return i & MASK;
  }

  /**
   * Base64 text as CiphertextFormat writes it: encoded into a scratch array, copied into a String.
   */
  private String base64(byte[] ciphertext) {
    int written = ENCODER.encode(ciphertext, encodeScratch);
    return new String(encodeScratch, 0, written, StandardCharsets.ISO_8859_1);
  }

  /**
   * Base64 text read as CiphertextFormat reads it: copied out of the String, decoded into scratch.
   */
  private int unbase64(String text) {
    return DECODER.decode(text.getBytes(StandardCharsets.ISO_8859_1), decodeScratch);
  }

  /** The project's cipher on 3 values, UTF-8 included: the encrypt twin's work, without Tink. */
  @Benchmark
  public void cipherEncrypt3(Blackhole bh) {
    String[] s = plainStrings[nextIndex()];
    for (int f = 0; f < 3; f++) {
      bh.consume(cipher.encrypt(utf8(s[f])));
    }
  }

  /** The project's cipher on 3 ciphertexts, the String included. */
  @Benchmark
  public void cipherDecrypt3(Blackhole bh) {
    byte[][] c = ciphertexts[nextIndex()];
    for (int f = 0; f < 3; f++) {
      bh.consume(new String(cipher.decrypt(c[f], 0, c[f].length), StandardCharsets.UTF_8));
    }
  }

  /** The project's cipher on the 1 KiB value, UTF-8 included. */
  @Benchmark
  public byte[] cipherEncrypt1KiB() {
    return cipher.encrypt(utf8(largeStrings[nextIndex()]));
  }

  /** The project's cipher on the 1 KiB value's ciphertext, the String included. */
  @Benchmark
  public String cipherDecrypt1KiB() {
    byte[] c = largeCiphertexts[nextIndex()];
    return new String(cipher.decrypt(c, 0, c.length), StandardCharsets.UTF_8);
  }

  /** The base64 text of 3 ciphertexts. */
  @Benchmark
  public void base64Encode3(Blackhole bh) {
    byte[][] c = ciphertexts[nextIndex()];
    for (int f = 0; f < 3; f++) {
      bh.consume(base64(c[f]));
    }
  }

  /** Reading 3 ciphertexts from their base64 text. */
  @Benchmark
  public void base64Decode3(Blackhole bh) {
    String[] s = base64Ciphertexts[nextIndex()];
    for (int f = 0; f < 3; f++) {
      bh.consume(unbase64(s[f]));
    }
  }

  /** The base64 text of the 1 KiB value's ciphertext. */
  @Benchmark
  public String base64Encode1KiB() {
    return base64(largeCiphertexts[nextIndex()]);
  }

  /** Reading the 1 KiB value's ciphertext from its base64 text. */
  @Benchmark
  public int base64Decode1KiB() {
    return unbase64(largeBase64[nextIndex()]);
  }

  /** The walk of the 10-field Struct: plan lookup, the Struct copy, 3 values put. */
  @Benchmark
  public Object walkStruct3() {
    return threeFields
        .rewrite(FieldEncryptionBenchmark.VALUE_SCHEMA, structs[nextIndex()], CONSTANT)
        .value();
  }

  /** The walk of the schemaless 10-entry HashMap: 3 lookups, the ordered copy, 3 values put. */
  @Benchmark
  public Object walkMap3() {
    return threeFields.rewrite(null, maps[nextIndex()], CONSTANT).value();
  }

  /** The walk of the 4-field Struct with the 1 KiB field. */
  @Benchmark
  public Object walkStruct1KiB() {
    return body.rewrite(FieldEncryptionBenchmark.NOTE_SCHEMA, notes[nextIndex()], CONSTANT).value();
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

  /** The per-record timing's two clock reads. */
  @Benchmark
  public long timing() {
    long start = System.nanoTime();
    return System.nanoTime() - start;
  }

  /** Tink with java.util.Base64 for 3 fields: UTF-8, AES-GCM, base64 (history in the docs). */
  @Benchmark
  public void utf8EncryptBase64x3(Blackhole bh) throws GeneralSecurityException {
    String[] s = plainStrings[nextIndex()];
    for (int f = 0; f < 3; f++) {
      bh.consume(ENCODER.encodeToString(aead.encrypt(utf8(s[f]), EMPTY_AAD)));
    }
  }

  /** Tink with java.util.Base64 for 3 fields: base64, AES-GCM, UTF-8 (history in the docs). */
  @Benchmark
  public void base64DecryptUtf8x3(Blackhole bh) throws GeneralSecurityException {
    String[] s = base64Ciphertexts[nextIndex()];
    for (int f = 0; f < 3; f++) {
      // The project's cipher writes Tink's RAW layout, so Tink reads its ciphertexts.
      bh.consume(new String(aead.decrypt(DECODER.decode(s[f]), EMPTY_AAD), StandardCharsets.UTF_8));
    }
  }
}
