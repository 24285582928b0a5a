package io.csfle.connect.bench;

import com.google.crypto.tink.subtle.AesGcmJce;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * The pieces of {@code scripts/bench pipeline} that run outside the Connect worker:
 *
 * <ul>
 *   <li>{@code fill <bootstrap> <topic> <records>}: creates the topic (one partition) and writes
 *       the customer rows of {@link FieldEncryptionBenchmark#customer} as schemaless JSON, keyed by
 *       {@code customer-<i>}; three of the ten fields (email, phone, ssn) hold 20-40 characters.
 *   <li>{@code raw <records>}: the cipher alone on the same three values of the first {@code
 *       records} rows, single thread: Tink AES-256-GCM encryption and decryption of their UTF-8
 *       bytes, after a warm-up, as CPU nanoseconds of this thread per row ({@code
 *       raw.encrypt.cpu.ns} and {@code raw.decrypt.cpu.ns} on stdout).
 * </ul>
 */
public final class PipelineBenchTool {
  static final List<String> ENCRYPTED_FIELDS = List.of("email", "phone", "ssn");
  private static final byte[] EMPTY_AAD = new byte[0];
  private static final int RAW_ROWS_MAX = 100_000;
  private static final int RAW_PASSES = 5;
  private static final int WARMUP_PASSES = 5;

  private PipelineBenchTool() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("fill")) {
      fill(args[1], args[2], Integer.parseInt(args[3]));
    } else if (args.length == 2 && args[0].equals("raw")) {
      raw(Math.min(Integer.parseInt(args[1]), RAW_ROWS_MAX));
    } else {
      System.err.println(
          "usage: PipelineBenchTool fill <bootstrap> <topic> <records> | raw <records>");
      System.exit(2);
    }
  }

  static void fill(String bootstrap, String topic, int records)
      throws InterruptedException, ExecutionException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.LINGER_MS_CONFIG, "20",
            ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < records; i++) {
        Struct row = row(i);
        byte[] value = json.fromConnectData(topic, FieldEncryptionBenchmark.VALUE_SCHEMA, row);
        producer.send(new ProducerRecord<>(topic, "customer-" + i, value));
      }
      producer.flush();
    }
    System.out.println("filled " + topic + " with " + records + " records");
  }

  /** Row {@code i}, checked to have 20-40 characters in each encrypted field. */
  static Struct row(int i) {
    Struct row = FieldEncryptionBenchmark.customer(i);
    for (String field : ENCRYPTED_FIELDS) {
      int length = row.getString(field).length();
      if (length < 20 || length > 40) {
        throw new IllegalStateException(
            "field " + field + " of row " + i + " has " + length + " characters, not 20-40");
      }
    }
    return row;
  }

  static void raw(int rows) throws GeneralSecurityException {
    byte[][] plaintexts = new byte[rows * ENCRYPTED_FIELDS.size()][];
    for (int i = 0; i < rows; i++) {
      Struct row = row(i);
      for (int f = 0; f < ENCRYPTED_FIELDS.size(); f++) {
        plaintexts[i * ENCRYPTED_FIELDS.size() + f] =
            row.getString(ENCRYPTED_FIELDS.get(f)).getBytes(StandardCharsets.UTF_8);
      }
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    AesGcmJce aead = new AesGcmJce(key);
    byte[][] ciphertexts = new byte[plaintexts.length][];
    for (int k = 0; k < plaintexts.length; k++) {
      ciphertexts[k] = aead.encrypt(plaintexts[k], EMPTY_AAD);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int pass = 0; pass < WARMUP_PASSES; pass++) {
      sink += encryptAll(aead, plaintexts) + decryptAll(aead, ciphertexts);
    }
    long encryptNanos = 0;
    long decryptNanos = 0;
    for (int pass = 0; pass < RAW_PASSES; pass++) {
      long start = threads.getCurrentThreadCpuTime();
      sink += encryptAll(aead, plaintexts);
      long middle = threads.getCurrentThreadCpuTime();
      sink += decryptAll(aead, ciphertexts);
      encryptNanos += middle - start;
      decryptNanos += threads.getCurrentThreadCpuTime() - middle;
    }
    double perRow = (double) rows * RAW_PASSES;
    System.out.printf(Locale.ROOT, "raw.rows=%d%n", rows);
    System.out.printf(Locale.ROOT, "raw.encrypt.cpu.ns=%.0f%n", encryptNanos / perRow);
    System.out.printf(Locale.ROOT, "raw.decrypt.cpu.ns=%.0f%n", decryptNanos / perRow);
    System.out.printf(Locale.ROOT, "raw.checksum=%d%n", sink);
  }

  private static long encryptAll(AesGcmJce aead, byte[][] plaintexts)
      throws GeneralSecurityException {
    long bytes = 0;
    for (byte[] plaintext : plaintexts) {
      bytes += aead.encrypt(plaintext, EMPTY_AAD).length;
    }
    return bytes;
  }

  private static long decryptAll(AesGcmJce aead, byte[][] ciphertexts)
      throws GeneralSecurityException {
    long bytes = 0;
    for (byte[] ciphertext : ciphertexts) {
      bytes += aead.decrypt(ciphertext, EMPTY_AAD).length;
    }
    return bytes;
  }
}
