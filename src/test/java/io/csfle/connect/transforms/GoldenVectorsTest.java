package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.decryptValue;
import static io.csfle.connect.transforms.TransformFixtures.encryptValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import io.csfle.connect.testkit.TestRecords;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors of whole encrypted fields, as the transform writes them, under a fixed AES-SIV DEK
 * (deterministic, so the bytes are fixed). These may never change once released: a change here
 * means data already in Kafka would no longer decrypt. See docs/FORMAT.md.
 */
class GoldenVectorsTest {
  private static final byte[] SIV_KEY = new byte[64];
  private static final Schema INNER =
      SchemaBuilder.struct()
          .name("Inner")
          .field("a", Schema.INT32_SCHEMA)
          .field("b", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  private static final Schema SCHEMA =
      SchemaBuilder.struct()
          .name("Golden")
          .field("text", Schema.STRING_SCHEMA)
          .field("raw", Schema.BYTES_SCHEMA)
          .field("count", Schema.INT32_SCHEMA)
          .field("amount", Decimal.schema(2))
          .field("day", Date.SCHEMA)
          .field("flag", Schema.BOOLEAN_SCHEMA)
          .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
          .field("inner", INNER)
          .build();
  private static final String FIELDS = "text,raw,count,amount,day,flag,tags,inner";

  private static InMemoryDekRegistryServer registry;

  @BeforeAll
  static void registerFixedDek() {
    for (int i = 0; i < SIV_KEY.length; i++) {
      SIV_KEY[i] = (byte) i;
    }
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
    try (RestDekStore client = new RestDekStore(RegistryClientConfig.of(registry.url()))) {
      client.createKek(new NewKek("golden", "local-kms", "golden", Map.of(), null, false));
      byte[] wrapped =
          KekProviders.standard()
              .create("local-kms", "golden", Map.of("secret", TransformFixtures.SECRET))
              .wrap(KeyMaterial.serialize(DekAlgorithm.AES256_SIV, SIV_KEY));
      client.createDek(
          new NewDek(
              new DekSubject("golden", "golden-value", DekAlgorithm.AES256_SIV), 1, wrapped));
    }
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static Map<String, String> settings() {
    Map<String, String> config = config(registry, FIELDS);
    config.put("encrypt.kek.name", "golden");
    config.put("encrypt.kms.key.id", "golden");
    config.put("encrypt.dek.algorithm", "AES256_SIV");
    return config;
  }

  private static Struct value() {
    return new Struct(SCHEMA)
        .put("text", "alice@example.com")
        .put("raw", new byte[] {1, 2, 3})
        .put("count", 42)
        .put("amount", new BigDecimal("12.34"))
        .put("day", new java.util.Date(19_000L * 86_400_000L))
        .put("flag", true)
        .put("tags", List.of("x", "yz"))
        .put("inner", new Struct(INNER).put("a", -1).put("b", "é"));
  }

  private static String hex(Object value) {
    byte[] bytes = value instanceof String s ? Base64.getDecoder().decode(s) : (byte[]) value;
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void fixedDek_givesThesePinnedCiphertexts() {
    EncryptField<SourceRecord> encrypt = encryptValue(settings());
    DecryptField<SinkRecord> decrypt = decryptValue(settings());
    try {
      SourceRecord record = TestRecords.source("golden", SCHEMA, value());
      SourceRecord encrypted = encrypt.apply(record);
      Struct e = (Struct) encrypted.value();

      assertThat(hex(e.get("text"))).isEqualTo(GOLDEN_TEXT);
      assertThat(hex(e.get("raw"))).isEqualTo(GOLDEN_RAW);
      assertThat(hex(e.get("count"))).isEqualTo(GOLDEN_COUNT);
      assertThat(hex(e.get("amount"))).isEqualTo(GOLDEN_AMOUNT);
      assertThat(hex(e.get("day"))).isEqualTo(GOLDEN_DAY);
      assertThat(hex(e.get("flag"))).isEqualTo(GOLDEN_FLAG);
      assertThat(hex(e.get("tags"))).isEqualTo(GOLDEN_TAGS);
      assertThat(hex(e.get("inner"))).isEqualTo(GOLDEN_INNER);
      assertThat(decrypt.apply(asSinkRecord(encrypted)).value()).isEqualTo(record.value());
    } finally {
      encrypt.close();
      decrypt.close();
    }
  }

  /** The STRING field is Confluent's format: SIV over the UTF-8 bytes, nothing of ours. */
  @Test
  void goldenText_isPlainSivOfTheUtf8Bytes() throws Exception {
    byte[] expected =
        new com.google.crypto.tink.subtle.AesSiv(SIV_KEY)
            .encryptDeterministically(
                "alice@example.com".getBytes(StandardCharsets.UTF_8), new byte[0]);
    assertThat(HexFormat.of().formatHex(expected)).isEqualTo(GOLDEN_TEXT);
  }

  /** The INT32 field is SIV over our typed plaintext: marker FF, version 01, tag 04, 42. */
  @Test
  void goldenCount_isSivOfTheTypedPlaintext() throws Exception {
    byte[] typed = HexFormat.of().parseHex("ff01040000002a");
    byte[] expected =
        new com.google.crypto.tink.subtle.AesSiv(SIV_KEY)
            .encryptDeterministically(typed, new byte[0]);
    assertThat(HexFormat.of().formatHex(expected)).isEqualTo(GOLDEN_COUNT);
  }

  private static final String GOLDEN_TEXT =
      "dbf40f7d65912dac543f9fe6152f08fc7d3390a2227c77d9376efec6ae2a9dd432";
  private static final String GOLDEN_RAW = "673c74570b0804872fbfbadbcd467be890de38";
  private static final String GOLDEN_COUNT = "82e9e177a5c93fde372f19469b73f68670f4f83f164531";
  private static final String GOLDEN_AMOUNT = "9affea8ffd828e58367c2ad3d89c6995785e2a9103018e";
  private static final String GOLDEN_DAY = "222fc25765ad2fd85182558a4dd293624acc5973a1c362";
  private static final String GOLDEN_FLAG = "d89ce2601a040bc7acac221dc441df4ff692c10e";
  private static final String GOLDEN_TAGS =
      "6c536eaff85b7888e56a7224fa7e51a1af403eea3c985c5295069a";
  private static final String GOLDEN_INNER =
      "c8a19d677043ba12fd7afdbf21ff2ee97095c1110d87192123c6e19ebc573059b8";
}
