package io.csfle.connect.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.codec.TypedValueCodec;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The header golden vectors of docs/FORMAT.md section 6, read from the page itself, against the
 * transforms: each DEK of the page is registered under a fixed subject, the AES-256-SIV rows must
 * be what {@link EncryptHeaders} writes byte for byte, and every row must decrypt to its value. A
 * change that breaks this is a format change, not a vector to update.
 */
class HeaderGoldenVectorsTest {
  private static final Path PAGE = Path.of("docs/FORMAT.md");
  private static final Pattern KEY_LINE =
      Pattern.compile("^- (AES256_SIV|AES256_GCM) DEK: `([0-9a-f]+)`$", Pattern.MULTILINE);
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| (AES256_SIV|AES256_GCM) \\| (none|\\d+) \\| `([^`]+)` \\| `([^`]*)` \\((\\w+)\\)"
              + " \\| `([0-9a-f]+)` \\| `([A-Za-z0-9+/=]+)` \\|$",
          Pattern.MULTILINE);

  /** One row of the page's table. */
  record Vector(
      DekAlgorithm algorithm,
      boolean rotating,
      String header,
      Object value,
      String typedPlaintextHex,
      String written) {}

  private static InMemoryDekRegistryServer registry;
  private static String section;

  @BeforeAll
  static void registerThePagesDeks() throws IOException {
    String page = Files.readString(PAGE);
    section = page.substring(page.indexOf("## 6. Headers"));
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
    try (RestDekStore client = new RestDekStore(RegistryClientConfig.of(registry.url()))) {
      client.createKek(new NewKek("golden", "local-kms", "golden", Map.of(), null, false));
      Matcher keys = KEY_LINE.matcher(section);
      int found = 0;
      while (keys.find()) {
        DekAlgorithm algorithm = DekAlgorithm.parse(keys.group(1));
        byte[] raw = HexFormat.of().parseHex(keys.group(2));
        byte[] wrapped =
            KekProviders.standard()
                .create("local-kms", "golden", Map.of("secret", TransformFixtures.SECRET))
                .wrap(KeyMaterial.serialize(algorithm, raw));
        client.createDek(
            new NewDek(new DekSubject("golden", subjectOf(algorithm), algorithm), 1, wrapped));
        found++;
      }
      assertThat(found).as("DEK lines in " + PAGE).isEqualTo(2);
    }
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  private static String topicOf(DekAlgorithm algorithm) {
    return "golden-" + algorithm.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String subjectOf(DekAlgorithm algorithm) {
    return topicOf(algorithm) + "-headers";
  }

  private static List<Vector> vectors() {
    List<Vector> vectors = new ArrayList<>();
    Matcher row = ROW.matcher(section);
    while (row.find()) {
      Object value =
          switch (row.group(5)) {
            case "STRING" -> row.group(4);
            case "INT64" -> Long.parseLong(row.group(4));
            default -> throw new IllegalStateException("no vector type " + row.group(5));
          };
      vectors.add(
          new Vector(
              DekAlgorithm.parse(row.group(1)),
              !row.group(2).equals("none"),
              row.group(3),
              value,
              row.group(6),
              row.group(7)));
    }
    return vectors;
  }

  private static Map<String, String> settings(Vector vector) {
    Map<String, String> config = HeaderFixtures.config(registry, vector.header());
    config.put("encrypt.kek.name", "golden");
    config.put("encrypt.kms.key.id", "golden");
    config.put("encrypt.dek.algorithm", vector.algorithm().name());
    config.put("encrypt.dek.expiry.days", vector.rotating() ? "30" : "0");
    return config;
  }

  private static Schema schemaOf(Object value) {
    return value instanceof Long ? Schema.INT64_SCHEMA : Schema.STRING_SCHEMA;
  }

  @Test
  void page_hasTheVectorsThisTestReads() {
    List<Vector> vectors = vectors();
    assertThat(vectors).hasSize(4);
    assertThat(vectors).extracting(Vector::algorithm).contains(DekAlgorithm.AES256_GCM);
    assertThat(vectors).anyMatch(Vector::rotating);
  }

  @Test
  void typedPlaintextColumn_isTheCodecsEncodingOfTheValue() {
    for (Vector vector : vectors()) {
      assertThat(
              HexFormat.of()
                  .formatHex(TypedValueCodec.encode(schemaOf(vector.value()), vector.value())))
          .as(vector.toString())
          .isEqualTo(vector.typedPlaintextHex());
    }
  }

  @Test
  void sivRows_areWhatEncryptHeadersWrites() {
    for (Vector vector : vectors()) {
      if (vector.algorithm() != DekAlgorithm.AES256_SIV) {
        continue;
      }
      EncryptHeaders<SourceRecord> encrypt = HeaderFixtures.encrypt(settings(vector));
      try {
        SourceRecord record =
            HeaderFixtures.source(
                topicOf(vector.algorithm()),
                HeaderFixtures.headers()
                    .add(vector.header(), vector.value(), schemaOf(vector.value())));
        Header written = encrypt.apply(record).headers().lastWithName(vector.header());
        assertThat(written.schema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(written.value()).as(vector.toString()).isEqualTo(vector.written());
      } finally {
        encrypt.close();
      }
    }
  }

  @Test
  void everyRow_decryptsToItsValue() {
    for (Vector vector : vectors()) {
      DecryptHeaders<SinkRecord> decrypt = HeaderFixtures.decrypt(settings(vector));
      try {
        Header read =
            decrypt.apply(written(vector, vector.header())).headers().lastWithName(vector.header());
        assertThat(read.value()).as(vector.toString()).isEqualTo(vector.value());
        assertThat(read.schema()).isEqualTo(schemaOf(vector.value()));
      } finally {
        decrypt.close();
      }
    }
  }

  @Test
  void everyRow_underAnotherHeaderName_doesNotDecrypt() {
    for (Vector vector : vectors()) {
      String other = vector.header().equals("user-id") ? "user-email" : "user-id";
      Map<String, String> config = settings(vector);
      config.put("headers", other);
      DecryptHeaders<SinkRecord> decrypt = HeaderFixtures.decrypt(config);
      try {
        assertThatThrownBy(() -> decrypt.apply(written(vector, other)))
            .as(vector.toString())
            .isInstanceOf(DataException.class)
            .hasMessageContaining("header '" + other + "'");
      } finally {
        decrypt.close();
      }
    }
  }

  private static SinkRecord written(Vector vector, String name) {
    return HeaderFixtures.asSink(
        HeaderFixtures.source(
            topicOf(vector.algorithm()),
            HeaderFixtures.headers().addString(name, vector.written())));
  }
}
