package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.decryptValue;
import static io.csfle.connect.transforms.TransformFixtures.encryptValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testkit.TestRecords;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Arrays, maps and whole structs: element mode ({@code [*]}) and object mode. */
class ContainerFieldsTest {
  private static final Schema LINE =
      SchemaBuilder.struct()
          .name("Line")
          .field("sku", Schema.STRING_SCHEMA)
          .field("qty", Schema.INT32_SCHEMA)
          .field("price", Decimal.schema(2))
          .build();
  private static final Schema ADDRESS =
      SchemaBuilder.struct()
          .name("Address")
          .optional()
          .field("street", Schema.STRING_SCHEMA)
          .field("zip", Schema.STRING_SCHEMA)
          .build();
  private static final Schema ORDER =
      SchemaBuilder.struct()
          .name("Order")
          .field("id", Schema.INT64_SCHEMA)
          .field("lines", SchemaBuilder.array(LINE).build())
          .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
          .field("attrs", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())
          .field("address", ADDRESS)
          .build();

  private InMemoryDekRegistryServer registry;
  private final List<org.apache.kafka.connect.transforms.Transformation<?>> opened =
      new ArrayList<>();

  @BeforeEach
  void start() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  }

  @AfterEach
  void stop() {
    opened.forEach(org.apache.kafka.connect.transforms.Transformation::close);
    registry.close();
  }

  private SourceRecord encrypt(String fields, Schema schema, Object value) {
    EncryptField<SourceRecord> t = encryptValue(config(registry, fields));
    opened.add(t);
    return t.apply(TestRecords.source("orders", schema, value));
  }

  private SinkRecord decrypt(String fields, SourceRecord encrypted) {
    DecryptField<SinkRecord> t = decryptValue(config(registry, fields));
    opened.add(t);
    return t.apply(asSinkRecord(encrypted));
  }

  private static Struct order() {
    Map<String, Long> attrs = new LinkedHashMap<>();
    attrs.put("loyalty", 12L);
    attrs.put("visits", 3L);
    return new Struct(ORDER)
        .put("id", 7L)
        .put("lines", List.of(line("sku-secret-1", 2, "9.99"), line("sku-secret-2", 1, "0.50")))
        .put("tags", Arrays.asList("vip-customer", null, "newsletter"))
        .put("attrs", attrs)
        .put("address", new Struct(ADDRESS).put("street", "1 Secret Lane").put("zip", "90210"));
  }

  private static Struct line(String sku, int qty, String price) {
    return new Struct(LINE).put("sku", sku).put("qty", qty).put("price", new BigDecimal(price));
  }

  @Test
  void elementPaths_encryptInsideArraysAndMapsAndRestoreExactly() {
    String fields = "lines[*].sku,lines[*].price,tags[*],attrs[*]";
    Struct original = order();

    SourceRecord encrypted = encrypt(fields, ORDER, original);

    Struct e = (Struct) encrypted.value();
    assertThat(e.toString()).doesNotContain("sku-secret").doesNotContain("vip-customer");
    Struct firstLine = (Struct) e.getArray("lines").get(0);
    assertThat(firstLine.getInt32("qty")).isEqualTo(2);
    assertThat(firstLine.schema().field("price").schema().type()).isEqualTo(Schema.Type.STRING);
    assertThat(e.getArray("tags").get(1)).isNull();
    assertThat(e.getMap("attrs").keySet()).containsExactly("loyalty", "visits");
    assertThat(e.schema().field("attrs").schema().valueSchema().type())
        .isEqualTo(Schema.Type.STRING);

    SinkRecord decrypted = decrypt(fields, encrypted);
    assertThat(decrypted.valueSchema()).isEqualTo(ORDER);
    assertThat(decrypted.value()).isEqualTo(original);
  }

  @Test
  void objectMode_encryptsAWholeStructArrayAndMapAsOneValueEach() {
    String fields = "lines,tags,attrs,address";
    Struct original = order();

    SourceRecord encrypted = encrypt(fields, ORDER, original);

    Struct e = (Struct) encrypted.value();
    for (String field : List.of("lines", "tags", "attrs", "address")) {
      assertThat(e.get(field)).as(field).isInstanceOf(String.class);
    }
    assertThat(e.schema().field("address").schema().isOptional()).isTrue();
    assertThat(e.toString()).doesNotContain("Secret Lane");
    SinkRecord decrypted = decrypt(fields, encrypted);
    assertThat(decrypted.valueSchema()).isEqualTo(ORDER);
    assertThat(decrypted.value()).isEqualTo(original);
  }

  @Test
  void nullOptionalStruct_staysNullInObjectMode() {
    Struct original = order().put("address", null).put("tags", null);
    SourceRecord encrypted = encrypt("address,tags[*]", ORDER, original);
    assertThat(((Struct) encrypted.value()).get("address")).isNull();
    assertThat(((Struct) encrypted.value()).get("tags")).isNull();
    assertThat(decrypt("address,tags[*]", encrypted).value()).isEqualTo(original);
  }

  @Test
  void schemalessElementAndObjectPaths_roundTripToTheSameJavaTypes() {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("sku", "sku-secret-9");
    line.put("qty", 4L);
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("lines", new ArrayList<>(List.of(line)));
    value.put("scores", new ArrayList<>(List.of(1.5, 2.5)));
    value.put("profile", new LinkedHashMap<>(Map.of("age", 42L, "vip", true)));
    String fields = "lines[*].sku,lines[*].qty,scores[*],profile";

    SourceRecord encrypted = encrypt(fields, null, value);

    assertThat(encrypted.value().toString()).doesNotContain("sku-secret");
    assertThat(decrypt(fields, encrypted).value()).isEqualTo(value);
  }

  @Test
  void elementStepOnANonContainer_isADataExceptionNamingThePath() {
    assertThatThrownBy(() -> encrypt("id[*]", ORDER, order()))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("id[*]");
  }
}
