package io.csfle.connect.adversarial;

import static io.csfle.connect.adversarial.AdversarialKit.schemalessValue;
import static io.csfle.connect.adversarial.AdversarialKit.sink;
import static io.csfle.connect.adversarial.AdversarialKit.source;
import static io.csfle.connect.adversarial.KnownDeks.OTHER_TOPIC;
import static io.csfle.connect.adversarial.KnownDeks.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.adversarial.KnownDeks.CryptoMode;
import io.csfle.connect.codec.ConnectValues;
import io.csfle.connect.codec.RandomConnectData;
import io.csfle.connect.field.SchemaWithoutDefault;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, item 4: a seeded fuzzer. (a) Random schemas of every Connect type, logical types,
 * nested containers, optional fields and defaults, with random values, go through EncryptField and
 * DecryptField and come back equal, while the encrypted record, serialized by the real
 * JsonConverter, holds none of the strings and bytes put in. (b) Random mutations of real
 * ciphertexts (bit flips, truncations, splices, insertions, random bytes) are refused or passed
 * through unchanged: authentication rejects every one.
 *
 * <p>Reproduce a failure with {@code -Dfuzz.seed=<seed printed in the message>}; run longer with
 * {@code -Dfuzz.iterations=<n>}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RecordFuzzAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();
  @RegisterExtension static final AdversarialKit kit = new AdversarialKit(leaks, CryptoMode.all());

  private static final long SEED = Long.getLong("fuzz.seed", 0x5EED_2026L);
  private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 300);

  @EveryCryptoMode
  void randomRecords_roundTripAndShowNoPlaintextWhenEncrypted(CryptoMode mode) {
    long seed = SEED + mode.ordinal();
    RandomConnectData data = new RandomConnectData(new Random(seed));
    Map<String, String> config = kit.config(mode, "marker,target");
    EncryptField<SourceRecord> encrypt = kit.encryptor(config);
    DecryptField<SinkRecord> decrypt = kit.decryptor(config, "fail");
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", "true"), false);
    for (int i = 0; i < ITERATIONS; i++) {
      String marker = "PLAINTEXT-MARKER-" + (1000 * mode.ordinal() + i);
      leaks.plaintext(marker);
      Schema target = data.schema(RandomConnectData.MAX_DEPTH, true);
      Schema schema =
          SchemaBuilder.struct()
              .name("Row")
              .field("id", Schema.INT32_SCHEMA)
              .field("marker", Schema.STRING_SCHEMA)
              .field("target", target)
              .build();
      Object value = data.value(target);
      Struct row = new Struct(schema).put("id", i).put("marker", marker);
      if (value != null) {
        row.put("target", value);
      }
      String reproduce =
          String.format("case %d of seed %d (-Dfuzz.seed=%d), %s", i, seed, SEED, mode);

      SourceRecord encrypted = encrypt.apply(source(schema, row));

      // ISO-8859-1 maps each byte to one char, so a String search is a byte search.
      String serialized =
          latin1(json.fromConnectData(TOPIC, encrypted.valueSchema(), encrypted.value()));
      // An unset field reads as its default, which is encrypted too.
      Object effective = value != null ? value : target.defaultValue();
      // The field's own default leaves the schema, so a primitive default is scanned for too;
      // defaults nested inside a container's schema stay in its schema parameter (SECURITY.md).
      boolean container =
          target.type() == Schema.Type.STRUCT
              || target.type() == Schema.Type.ARRAY
              || target.type() == Schema.Type.MAP;
      List<byte[]> plaintexts = plaintextBytes(container ? value : effective, new ArrayList<>());
      plaintexts.add(marker.getBytes(StandardCharsets.UTF_8));
      for (byte[] plaintext : plaintexts) {
        assertThat(serialized.indexOf(latin1(plaintext)))
            .as(
                "%s: a plaintext of %d bytes shows in the encrypted JSON",
                reproduce, plaintext.length)
            .isEqualTo(-1);
      }
      SinkRecord decrypted = decrypt.apply(sink(encrypted.valueSchema(), encrypted.value()));
      Schema restored =
          SchemaBuilder.struct()
              .name("Row")
              .field("id", Schema.INT32_SCHEMA)
              .field("marker", Schema.STRING_SCHEMA)
              .field("target", SchemaWithoutDefault.of(target))
              .build();
      assertThat(decrypted.valueSchema()).as(reproduce).isEqualTo(restored);
      Struct expected = new Struct(restored).put("id", i).put("marker", marker);
      if (effective != null) {
        expected.put("target", effective);
      }
      assertThat(ConnectValues.deepEquals(expected, decrypted.value())).as(reproduce).isTrue();
    }
  }

  @EveryCryptoMode
  void randomMutationsOfRealCiphertexts_areRefusedOrPassedThrough(CryptoMode mode) {
    long seed = SEED + 100 + mode.ordinal();
    Random random = new Random(seed);
    RandomConnectData data = new RandomConnectData(random);
    AdversarialKit.Decryptors decryptors = kit.decryptors(mode, "secret");
    List<byte[]> originals = new ArrayList<>();
    for (int i = 0; i < ITERATIONS * 2; i++) {
      String marker = "PLAINTEXT-MARKER-M" + (1000 * mode.ordinal() + i);
      leaks.plaintext(marker);
      byte[] plaintext =
          random.nextBoolean()
              ? (marker + data.string()).getBytes(StandardCharsets.UTF_8)
              : io.csfle.connect.codec.TypedValueCodec.encode(
                  null, List.of(marker, data.schemaless(2)));
      byte[] real = kit.ciphertext(mode, random.nextInt(4) == 0 ? OTHER_TOPIC : TOPIC, plaintext);
      originals.add(real);
      String how = mutate(random, real, originals);
      byte[] mutated = lastMutation;
      if (originals.stream().anyMatch(o -> Arrays.equals(o, mutated))) {
        continue; // a splice can give back an original: that one decrypts, rightly
      }
      String reproduce =
          String.format("case %d of seed %d (-Dfuzz.seed=%d), %s: %s", i, seed, SEED, mode, how);
      Object carrier = random.nextBoolean() ? mutated : Base64.getEncoder().encodeToString(mutated);
      SinkRecord record = sink(null, schemalessValue("id", (long) i, "secret", carrier));
      decryptors.assertRefusedOrPassedThrough(record, "secret", reproduce);
    }
  }

  private byte[] lastMutation;

  /** Mutates {@code real} one random way; the result goes to {@link #lastMutation}. */
  private String mutate(Random random, byte[] real, List<byte[]> originals) {
    byte[] other = originals.get(random.nextInt(originals.size()));
    switch (random.nextInt(6)) {
      case 0 -> {
        lastMutation = real.clone();
        int flips = 1 + random.nextInt(3);
        for (int f = 0; f < flips; f++) {
          lastMutation[random.nextInt(real.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return flips + " bit flip(s)";
      }
      case 1 -> {
        int length = random.nextInt(real.length);
        lastMutation = Arrays.copyOf(real, length);
        return "truncated to " + length;
      }
      case 2 -> {
        int cutA = random.nextInt(real.length + 1);
        int cutB = random.nextInt(other.length + 1);
        lastMutation = Arrays.copyOf(real, cutA + other.length - cutB);
        System.arraycopy(other, cutB, lastMutation, cutA, other.length - cutB);
        return "splice at " + cutA + "/" + cutB;
      }
      case 3 -> {
        int at = random.nextInt(real.length + 1);
        int count = 1 + random.nextInt(8);
        lastMutation = new byte[real.length + count];
        System.arraycopy(real, 0, lastMutation, 0, at);
        for (int k = 0; k < count; k++) {
          lastMutation[at + k] = (byte) random.nextInt(256);
        }
        System.arraycopy(real, at, lastMutation, at + count, real.length - at);
        return count + " byte(s) inserted at " + at;
      }
      case 4 -> {
        int at = random.nextInt(real.length);
        int count = 1 + random.nextInt(Math.min(8, real.length - at));
        lastMutation = new byte[real.length - count];
        System.arraycopy(real, 0, lastMutation, 0, at);
        System.arraycopy(real, at + count, lastMutation, at, real.length - at - count);
        return count + " byte(s) deleted at " + at;
      }
      default -> {
        lastMutation = new byte[random.nextInt(real.length * 2 + 1)];
        random.nextBytes(lastMutation);
        return lastMutation.length + " random bytes";
      }
    }
  }

  /**
   * The strings (UTF-8, as JsonConverter writes them when they need no escaping) and byte arrays
   * (as base64, as JsonConverter writes BYTES) of a value, long enough not to occur by chance.
   */
  private static List<byte[]> plaintextBytes(Object value, List<byte[]> out) {
    if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      if (utf8.length >= 8 && s.chars().allMatch(c -> c >= 0x20 && c != '"' && c != '\\')) {
        out.add(utf8);
      }
    } else if (value instanceof byte[] b && b.length >= 9) {
      String base64 = Base64.getEncoder().encodeToString(b);
      out.add(base64.substring(0, base64.length() / 4 * 4 - 4).getBytes(StandardCharsets.US_ASCII));
    } else if (value instanceof List<?> list) {
      list.forEach(v -> plaintextBytes(v, out));
    } else if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            plaintextBytes(k, out);
            plaintextBytes(v, out);
          });
    } else if (value instanceof Struct struct) {
      struct.schema().fields().forEach(f -> plaintextBytes(struct.get(f), out));
    }
    return out;
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
