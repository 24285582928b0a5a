package io.csfle.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MAP keys crafted to share one hash code: a hash map compares such keys one by one unless they all
 * order themselves, so 20,000 colliding list keys cost 2·10⁸ list comparisons (80,000 in a 1 MB
 * payload took minutes). Readers refuse them past {@link KeyHashes#MAX_PER_HASH}; colliding keys of
 * one self-ordering type stay fast and are accepted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TypedValueCodecKeyHashTest {
  private static final Schema LIST_KEYS =
      SchemaBuilder.map(
              SchemaBuilder.array(Schema.INT32_SCHEMA).build(), Schema.OPTIONAL_INT8_SCHEMA)
          .build();

  /** [i, -31·i] all hash to 31·(31 + i) - 31·i = 961. */
  private static byte[] collidingListKeys(int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xFF, 1, 0x0B});
    writeVarint(out, count);
    for (int i = 0; i < count; i++) {
      out.writeBytes(new byte[] {0x0A, 2, 0x04});
      writeInt(out, i);
      out.write(0x04);
      writeInt(out, -31 * i);
      out.write(0x00);
    }
    return out.toByteArray();
  }

  @Test
  void twentyThousandCollidingListKeys_areRefusedWithoutQuadraticWork() {
    byte[] payload = collidingListKeys(20_000);
    long start = System.nanoTime();

    assertThatThrownBy(() -> TypedValueCodec.decode(payload, null))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("keys with one hash code");
    assertThatThrownBy(() -> TypedValueCodec.decode(payload, LIST_KEYS))
        .isInstanceOf(CodecException.class);

    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
  }

  @Test
  void sixtyFourCollidingListKeys_stillDecode() {
    @SuppressWarnings("unchecked")
    Map<Object, Object> map =
        (Map<Object, Object>) TypedValueCodec.decode(collidingListKeys(64), null);
    assertThat(map).hasSize(64).containsKey(List.of(63, -31 * 63));
  }

  @Test
  void collidingKeysOfMixedTypes_areRefused() {
    // k·(2^32 + 1) hashes to 0 as a Long, and so do these Doubles' neighbours: mix in the empty
    // string (hash 0) so that the bin holds two types.
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put("", null);
    for (long k = 1; k <= 100; k++) {
      map.put(k * 0x1_0000_0001L, null);
    }
    assertThatThrownBy(() -> TypedValueCodec.encode(null, map))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("keys with one hash code");
  }

  @Test
  void manyCollidingKeysOfOneSelfOrderingType_roundTrip() {
    Map<Object, Object> map = new LinkedHashMap<>();
    for (long k = 1; k <= 20_000; k++) {
      map.put(k * 0x1_0000_0001L, (byte) 1); // every key hashes to 0
    }
    Schema schema = SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.INT8_SCHEMA).build();
    assertThat(TypedValueCodec.decode(TypedValueCodec.encode(schema, map), schema)).isEqualTo(map);
    assertThat(TypedValueCodec.decode(TypedValueCodec.encode(null, map), null)).isEqualTo(map);
  }

  @Test
  void aMapOfManyCollidingListKeys_isNotWritten() {
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < 65; i++) {
      map.put(List.of(i, -31 * i), null);
    }
    assertThatThrownBy(() -> TypedValueCodec.encode(null, map))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("keys with one hash code");
  }

  private static void writeVarint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7F) != 0) {
      out.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    out.writeBytes(
        new byte[] {
          (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
        });
  }
}
