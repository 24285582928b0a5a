package io.csfle.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decoding anything but a well-formed payload ends in a {@link CodecException}: never an index
 * exception, an OutOfMemoryError or a StackOverflowError, and never a silently wrong value.
 */
class TypedValueCodecMalformedInputTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void truncatedAtEveryPosition_isRefused() {
    TypedValueCodecRoundTripTest.forEachCase(
        (data, i) -> {
          if (i % 20 != 0) {
            return; // 100 cases, each cut at every position
          }
          Schema schema = data.schema(RandomConnectData.MAX_DEPTH, false);
          byte[] payload = TypedValueCodec.encode(schema, data.nonNull(schema));
          for (int length = 0; length < payload.length; length++) {
            byte[] cut = Arrays.copyOf(payload, length);
            assertRefused(cut, schema);
            assertRefused(cut, null);
          }
        });
  }

  @Test
  void trailingBytes_areRefused() {
    assertThatThrownBy(() -> decode("ff01" + "0101" + "00", null))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("1 bytes follow the value");
    assertRefused(HEX.parseHex("ff01" + "0400000001" + "0400000001"), Schema.INT32_SCHEMA);
  }

  @Test
  void unknownTags_areRefusedAtTopLevelAndInsideContainers() {
    for (int tag = 0x11; tag <= 0xFF; tag++) {
      String hex = String.format("%02x", tag);
      assertThatThrownBy(() -> decode("ff01" + hex + "00000000", null))
          .isInstanceOf(CodecException.class)
          .hasMessageContaining("unknown tag 0x" + hex.toUpperCase());
      assertRefused(HEX.parseHex("ff01" + "0a01" + hex + "00000000"), null);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ff00", "ff02", "ffff", "ff7f"})
  void otherFormatVersions_areRefused(String header) {
    assertThatThrownBy(() -> decode(header + "0101", null))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("format version");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ff", "00010101", "fe010101", "7b7d"})
  void missingMarkerOrHeader_isRefused(String hex) {
    assertRefused(HEX.parseHex(hex), null);
    assertRefused(HEX.parseHex(hex), Schema.BOOLEAN_SCHEMA);
  }

  @Test
  void nullPayload_isRefused() {
    assertThatThrownBy(() -> TypedValueCodec.decode(null, null)).isInstanceOf(CodecException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "08" + "ffffffff07", // STRING of 2^31-1 bytes
        "09" + "ffffffff0f", // BYTES length beyond 31 bits
        "09" + "8080808010", // varint with bits past 32
        "09" + "ffffffffff01", // varint of six bytes
        "0a" + "ffffffff07", // ARRAY count
        "0b" + "80808080" + "04", // MAP count 2^30
        "0c" + "ffffffff07", // STRUCT field count
        "0c01" + "ffffffff07", // STRUCT field name length
        "0d00" + "ffffffff07", // DECIMAL unscaled length
        "0a02" + "0101", // ARRAY of two with one element
        "0b01" + "0101", // MAP entry without a value
      })
  void lengthsBeyondTheInput_areRefusedBeforeAllocating(String body) {
    assertRefused(HEX.parseHex("ff01" + body), null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0880" + "00", "09" + "8100" + "01", "0a" + "8000"})
  void varintsNotInShortestForm_areRefused(String body) {
    assertThatThrownBy(() -> decode("ff01" + body, null))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("shortest form");
  }

  @Test
  void nestingDeeperThanTheLimit_isRefusedWithoutOverflowingTheStack() {
    String sixtyFourDeep = "0a01".repeat(63) + "0a00";
    assertThatCode(() -> decode("ff01" + sixtyFourDeep, null)).doesNotThrowAnyException();
    assertThatThrownBy(() -> decode("ff01" + "0a01".repeat(64) + "0a00", null))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("nested deeper than 64");
    assertRefused(HEX.parseHex("ff01" + "0b01".repeat(100_000)), null);
    assertRefused(HEX.parseHex("ff01" + "0c01016b".repeat(100_000)), null);
  }

  @Test
  void bareTopLevelNull_isRefused() {
    assertThatThrownBy(() -> decode("ff01" + "00", Schema.OPTIONAL_STRING_SCHEMA))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("bare NULL");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0102", // BOOLEAN body 2
        "0d0000", // DECIMAL with an empty unscaled value
        "0d00020001", // DECIMAL 1 padded to two bytes
        "0d0002ffff", // DECIMAL -1 padded to two bytes
        "0f05265c01", // TIME one millisecond past 24:00
        "0fffffffff", // TIME before midnight
        "080180", // STRING with a lone continuation byte
        "0802c0af", // STRING with an overlong '/'
        "0803eda080", // STRING with an encoded surrogate
        "0801ff", // STRING with 0xFF
        "0b02" + "080161" + "0101" + "080161" + "0100", // MAP repeating key "a"
        "0c02" + "0161" + "0101" + "0161" + "0100", // STRUCT repeating field "a"
      })
  void nonCanonicalOrInvalidBodies_areRefused(String body) {
    assertRefused(HEX.parseHex("ff01" + body), null);
  }

  @Test
  void timeOfDay2400_isAccepted() {
    assertThat(decode("ff01" + "0f05265c00", null)).isEqualTo(new java.util.Date(86_400_000L));
  }

  @Test
  void randomBytes_decodeOrFailWithCodecExceptionOnly() {
    Random random = new Random(TypedValueCodecRoundTripTest.SEED);
    RandomConnectData data = new RandomConnectData(random);
    for (int i = 0; i < 20_000; i++) {
      byte[] payload = new byte[2 + random.nextInt(40)];
      for (int j = 2; j < payload.length; j++) {
        // Mostly small bytes, so tags and short lengths are common enough to go deep.
        payload[j] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : random.nextInt(0x12));
      }
      payload[0] = TypedValueCodec.MARKER;
      payload[1] = TypedValueCodec.FORMAT_VERSION;
      decodeOrRefuse(payload, null);
      decodeOrRefuse(payload, data.schema(2, false));
    }
  }

  @Test
  void mutatedPayloads_decodeOrFailWithCodecExceptionOnly() {
    TypedValueCodecRoundTripTest.forEachCase(
        (data, i) -> {
          Schema schema = data.schema(RandomConnectData.MAX_DEPTH, false);
          byte[] payload = TypedValueCodec.encode(schema, data.nonNull(schema));
          Random random = new Random(i);
          for (int k = 0; k < 10; k++) {
            byte[] mutated = payload.clone();
            mutated[random.nextInt(mutated.length)] ^= (byte) (1 + random.nextInt(255));
            decodeOrRefuse(mutated, schema);
            decodeOrRefuse(mutated, null);
          }
        });
  }

  private static void decodeOrRefuse(byte[] payload, Schema schema) {
    try {
      TypedValueCodec.decode(payload, schema);
    } catch (CodecException expected) {
      // the only acceptable failure
    }
  }

  private static Object decode(String hex, Schema schema) {
    return TypedValueCodec.decode(HEX.parseHex(hex), schema);
  }

  /** A plain try/catch: this runs for every prefix of hundreds of payloads. */
  private static void assertRefused(byte[] payload, Schema schema) {
    try {
      TypedValueCodec.decode(payload, schema);
    } catch (CodecException expected) {
      return;
    }
    throw new AssertionError("decoded without an error: " + HEX.formatHex(payload));
  }
}
