package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.decryptValue;
import static io.csfle.connect.transforms.TransformFixtures.encryptValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.codec.ConnectValues;
import io.csfle.connect.codec.RandomConnectData;
import io.csfle.connect.codec.SchemaCodec;
import io.csfle.connect.field.SchemaWithoutDefault;
import io.csfle.connect.fieldcrypto.FieldValues;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testkit.TestRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Property-style: random schemas and values of every Connect type and container shape go through
 * EncryptField and DecryptField and come back equal, with an equal schema, while the encrypted
 * record shows none of their strings.
 */
class AnyTypeRoundTripTest {
  private static final int CASES = 300;
  private static final long SEED = Long.getLong("roundtrip.seed", 20261122L);

  private static InMemoryDekRegistryServer registry;

  @BeforeAll
  static void startRegistry() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  private static Map<String, String> settings(String algorithm, int expiryDays, String output) {
    Map<String, String> config = config(registry, "target");
    config.put("encrypt.kek.name", "kek_" + algorithm.toLowerCase() + "_" + expiryDays);
    config.put("encrypt.dek.algorithm", algorithm);
    config.put("encrypt.dek.expiry.days", Integer.toString(expiryDays));
    config.put("encrypted.value.type", output);
    return config;
  }

  @ParameterizedTest(name = "{0} expiry={1} output={2}")
  @CsvSource({"AES256_GCM,0,string", "AES128_GCM,7,bytes", "AES256_SIV,0,string"})
  void randomSchemaValues_roundTripWithTheSameSchema(String alg, int expiry, String output) {
    Map<String, String> config = settings(alg, expiry, output);
    EncryptField<SourceRecord> encrypt = encryptValue(config);
    DecryptField<SinkRecord> decrypt = decryptValue(config);
    RandomConnectData data = new RandomConnectData(new Random(SEED));
    try {
      for (int i = 0; i < CASES; i++) {
        Schema target = data.schema(RandomConnectData.MAX_DEPTH, true);
        Schema schema =
            SchemaBuilder.struct()
                .name("Row")
                .field("id", Schema.INT32_SCHEMA)
                .field("target", target)
                .build();
        Struct row = new Struct(schema).put("id", i);
        Object value = data.value(target);
        if (value != null) {
          row.put("target", value);
        }
        SourceRecord encrypted = encrypt.apply(record(schema, row));
        // An unset field reads as its default, which is encrypted too (never left in the clear).
        Object effective = value != null ? value : target.defaultValue();
        assertEncryptedForm(i, target, (Struct) encrypted.value(), effective, output);

        SinkRecord decrypted = decrypt.apply(TransformFixtures.asSinkRecord(encrypted));

        // The encrypted field's own default is left out of the encrypted schema (a plaintext).
        Schema restored =
            SchemaBuilder.struct()
                .name("Row")
                .field("id", Schema.INT32_SCHEMA)
                .field("target", SchemaWithoutDefault.of(target))
                .build();
        assertThat(decrypted.valueSchema()).as("case %d schema", i).isEqualTo(restored);
        Struct expected = new Struct(restored).put("id", i);
        if (effective != null) {
          expected.put("target", effective);
        }
        assertThat(ConnectValues.deepEquals(expected, decrypted.value()))
            .as("case %d (seed %d): %s", i, SEED, target)
            .isTrue();
      }
    } finally {
      encrypt.close();
      decrypt.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"AES256_GCM", "AES256_SIV"})
  void randomSchemalessValues_roundTripToTheSameJavaTypes(String algorithm) {
    Map<String, String> config = settings(algorithm, 0, "string");
    EncryptField<SourceRecord> encrypt = encryptValue(config);
    DecryptField<SinkRecord> decrypt = decryptValue(config);
    RandomConnectData data = new RandomConnectData(new Random(SEED + 1));
    try {
      for (int i = 0; i < CASES; i++) {
        Object value = data.schemaless(RandomConnectData.MAX_DEPTH);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", (long) i);
        row.put("target", value);

        SourceRecord encrypted = encrypt.apply(record(null, row));
        Object ciphertext = ((Map<?, ?>) encrypted.value()).get("target");
        assertThat(ciphertext).as("case %d", i).isInstanceOf(String.class);
        assertNoPlaintextStrings(i, value, encrypted.value().toString());

        Map<?, ?> decrypted =
            (Map<?, ?>) decrypt.apply(TransformFixtures.asSinkRecord(encrypted)).value();

        // The row is the transform's own ordered copy, of a class of its choosing; the decrypted
        // value inside it must be of the very Java types the source made.
        assertThat(ConnectValues.deepEquals(row, new LinkedHashMap<>(decrypted)))
            .as("case %d (seed %d)", i, SEED + 1)
            .isTrue();
      }
    } finally {
      encrypt.close();
      decrypt.close();
    }
  }

  private static SourceRecord record(Schema schema, Object value) {
    return TestRecords.source("any-types", schema, value);
  }

  private static void assertEncryptedForm(
      int i, Schema target, Struct encrypted, Object value, String output) {
    Schema field = encrypted.schema().field("target").schema();
    assertThat(field.isOptional()).as("case %d optional", i).isEqualTo(target.isOptional());
    if (value == null) {
      assertThat(encrypted.get("target")).isNull();
      return;
    }
    assertThat(field.defaultValue()).as("case %d default", i).isNull();
    if (FieldValues.isConfluentNative(target)) {
      assertThat(field).isEqualTo(SchemaWithoutDefault.of(target));
    } else {
      assertThat(field.type())
          .isEqualTo("bytes".equals(output) ? Schema.Type.BYTES : Schema.Type.STRING);
      assertThat(SchemaCodec.fromJson(field.parameters().get(SchemaCodec.PARAMETER)))
          .isEqualTo(SchemaWithoutDefault.of(target));
    }
    assertNoPlaintextStrings(i, value, encrypted.toString());
  }

  /** Strings of the plaintext (long enough not to occur by chance) must not show. */
  private static void assertNoPlaintextStrings(int i, Object value, String encryptedText) {
    for (String text : strings(value, new ArrayList<>())) {
      if (text.getBytes(StandardCharsets.UTF_8).length >= 8) {
        assertThat(encryptedText).as("case %d leaks a string", i).doesNotContain(text);
      }
    }
  }

  private static List<String> strings(Object value, List<String> out) {
    if (value instanceof String s) {
      out.add(s);
    } else if (value instanceof List<?> list) {
      list.forEach(v -> strings(v, out));
    } else if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            strings(k, out);
            strings(v, out);
          });
    } else if (value instanceof Struct struct) {
      struct.schema().fields().forEach(f -> strings(struct.get(f), out));
    }
    return out;
  }
}
