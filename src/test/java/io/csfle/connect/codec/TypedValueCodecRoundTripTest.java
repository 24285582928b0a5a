package io.csfle.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * Property tests: random schemas and values (seeded; rerun a failure with {@code
 * -Dcodec.seed=<seed>}) must decode to exactly what was encoded, encode deterministically, and be
 * told apart from UTF-8 strings.
 */
class TypedValueCodecRoundTripTest {
  static final long SEED = Long.getLong("codec.seed", 0x5EED_C0DECL);
  private static final int CASES = 2_000;

  @Test
  void randomSchemaValues_roundTripExactly() {
    forEachCase(
        (data, i) -> {
          Schema schema = data.schema(RandomConnectData.MAX_DEPTH, i % 2 == 0);
          Object value = data.nonNull(schema);
          Object decoded = TypedValueCodec.decode(TypedValueCodec.encode(schema, value), schema);
          assertThat(ConnectValues.deepEquals(value, decoded)).isTrue();
          if (value instanceof Struct) {
            assertThat(((Struct) decoded).schema()).isSameAs(schema);
          }
        });
  }

  @Test
  void randomSchemalessValues_roundTripToTheSameJavaTypes() {
    forEachCase(
        (data, i) -> {
          Object value = data.schemaless(RandomConnectData.MAX_DEPTH);
          Object decoded = TypedValueCodec.decode(TypedValueCodec.encode(null, value), null);
          assertThat(ConnectValues.deepEquals(value, decoded)).isTrue();
        });
  }

  @Test
  void randomSchemaValues_encodeDeterministicallyAndReencodeIdentically() {
    forEachCase(
        (data, i) -> {
          Schema schema = data.schema(RandomConnectData.MAX_DEPTH, false);
          Object value = data.nonNull(schema);
          byte[] first = TypedValueCodec.encode(schema, value);
          assertThat(TypedValueCodec.encode(schema, value)).isEqualTo(first);
          Object copy = TypedValueCodec.decode(first, schema);
          assertThat(TypedValueCodec.encode(schema, copy)).isEqualTo(first);
        });
  }

  @Test
  void randomSchemalessValues_encodeDeterministically() {
    forEachCase(
        (data, i) -> {
          Object value = data.schemaless(RandomConnectData.MAX_DEPTH);
          byte[] first = TypedValueCodec.encode(null, value);
          assertThat(TypedValueCodec.encode(null, value)).isEqualTo(first);
          assertThat(TypedValueCodec.encode(null, TypedValueCodec.decode(first, null)))
              .isEqualTo(first);
        });
  }

  @Test
  void encodedPayloads_areTyped() {
    forEachCase(
        (data, i) -> {
          Schema schema = data.schema(2, false);
          assertThat(TypedValueCodec.isTyped(TypedValueCodec.encode(schema, data.nonNull(schema))))
              .isTrue();
        });
  }

  @Test
  void utf8Strings_areNeverTyped() {
    forEachCase(
        (data, i) -> {
          byte[] utf8 = data.string().getBytes(StandardCharsets.UTF_8);
          assertThat(TypedValueCodec.isTyped(utf8)).isFalse();
          assertThat(utf8).doesNotContain(TypedValueCodec.MARKER);
        });
  }

  @Test
  void emptyOrNullPlaintext_isNotTyped() {
    assertThat(TypedValueCodec.isTyped(new byte[0])).isFalse();
    assertThat(TypedValueCodec.isTyped(null)).isFalse();
  }

  interface Case {
    void run(RandomConnectData data, int index);
  }

  /** Runs {@link #CASES} cases, each from its own seed, and names that seed on a failure. */
  static void forEachCase(Case check) {
    Random seeds = new Random(SEED);
    for (int i = 0; i < CASES; i++) {
      long seed = seeds.nextLong();
      try {
        check.run(new RandomConnectData(new Random(seed)), i);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "case " + i + " failed; rerun with -Dcodec.seed=" + SEED + " (case seed " + seed + ")",
            e);
      }
    }
  }
}
