package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.HeaderFixtures.asSink;
import static io.csfle.connect.transforms.HeaderFixtures.headers;
import static io.csfle.connect.transforms.HeaderFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EncryptHeaders and DecryptHeaders on records built in memory, against an in-memory registry. */
class EncryptDecryptHeadersTest {
  private static final String EMAIL = "alice@example.com";

  private InMemoryDekRegistryServer registry;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void start() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable transform : opened) {
      transform.close();
    }
    registry.close();
  }

  private EncryptHeaders<SourceRecord> encrypt(String headers) {
    return encrypt(HeaderFixtures.config(registry, headers));
  }

  private EncryptHeaders<SourceRecord> encrypt(Map<String, String> config) {
    return closedAfter(HeaderFixtures.encrypt(config));
  }

  private DecryptHeaders<SinkRecord> decrypt(String headers) {
    return decrypt(HeaderFixtures.config(registry, headers));
  }

  private DecryptHeaders<SinkRecord> decrypt(Map<String, String> config) {
    return closedAfter(HeaderFixtures.decrypt(config));
  }

  private <T extends AutoCloseable> T closedAfter(T transform) {
    opened.add(transform);
    return transform;
  }

  private static List<Header> all(org.apache.kafka.connect.connector.ConnectRecord<?> record) {
    List<Header> list = new ArrayList<>();
    record.headers().forEach(list::add);
    return list;
  }

  @Test
  void supportedTypes_roundTripWithTheirSchemas() {
    Headers original =
        headers()
            .addString("p-string", EMAIL)
            .addBytes("p-bytes", new byte[] {0, 1, (byte) 0xFF})
            .addInt("p-int", -7)
            .addLong("p-long", Long.MIN_VALUE)
            .addBoolean("p-bool", true)
            .addDouble("p-double", -0.0)
            .add("p-schemaless", 42L, null);
    SourceRecord encrypted = encrypt("p-*").apply(source(original));

    for (Header header : all(encrypted)) {
      assertThat(header.schema()).as(header.key()).isEqualTo(Schema.STRING_SCHEMA);
      assertThat((String) header.value()).doesNotContain(EMAIL);
      assertThat(Base64.getDecoder().decode((String) header.value())).hasSizeGreaterThan(28);
    }
    SinkRecord decrypted = decrypt("p-*").apply(asSink(encrypted));

    List<Header> restored = all(decrypted);
    assertThat(restored)
        .extracting(Header::key)
        .containsExactly(
            "p-string", "p-bytes", "p-int", "p-long", "p-bool", "p-double", "p-schemaless");
    assertThat(restored.get(0).value()).isEqualTo(EMAIL);
    assertThat((byte[]) restored.get(1).value()).containsExactly(0, 1, 0xFF);
    assertThat(restored.get(2).value()).isEqualTo(-7);
    assertThat(restored.get(2).schema()).isEqualTo(Schema.INT32_SCHEMA);
    assertThat(restored.get(3).value()).isEqualTo(Long.MIN_VALUE);
    assertThat(restored.get(4).value()).isEqualTo(true);
    assertThat(Double.doubleToRawLongBits((Double) restored.get(5).value()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(restored.get(6).value()).isEqualTo(42L);
    assertThat(restored.get(6).schema()).isEqualTo(Schema.INT64_SCHEMA);
    assertThat(decrypted.value()).isEqualTo("value");
  }

  @Test
  void repeatedHeaders_eachEncryptedInPlaceAndRestoredInOrder() {
    Headers original =
        headers()
            .addString("user-email", "a@example.com")
            .addString("other", "kept")
            .addString("user-email", "b@example.com");
    SourceRecord encrypted = encrypt("user-email").apply(source(original));

    List<Header> written = all(encrypted);
    assertThat(written)
        .extracting(Header::key)
        .containsExactly("user-email", "other", "user-email");
    assertThat(written.get(0).value()).isNotEqualTo(written.get(2).value());
    assertThat(written.get(1).value()).isEqualTo("kept");
    assertThat(all(decrypt("user-email").apply(asSink(encrypted))))
        .extracting(Header::value)
        .containsExactly("a@example.com", "kept", "b@example.com");
  }

  @Test
  void unchosenHeaders_passUntouchedAndARecordWithoutChosenOnesIsReturnedAsItCame() {
    SourceRecord none = source(headers().addString("other", EMAIL).addInt("n", 1));
    EncryptHeaders<SourceRecord> transform = encrypt("user-*");

    assertThat(transform.apply(none)).isSameAs(none);
    assertThat(registry.requestCount()).isZero();
    SourceRecord nullValue =
        source(headers().add("user-email", null, Schema.OPTIONAL_STRING_SCHEMA));
    assertThat(transform.apply(nullValue)).isSameAs(nullValue);
  }

  @Test
  void patterns_neverSelectTraceContextHeaders_butExactNamesDo() {
    Headers original =
        headers()
            .addString("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .addString("tracestate", "vendor=x")
            .addString("Baggage", "userId=alice")
            .addString("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7")
            .addString("user-email", EMAIL);
    SourceRecord byPattern = encrypt("*").apply(source(original.duplicate()));

    List<Header> written = all(byPattern);
    assertThat(written.subList(0, 4))
        .extracting(Header::value)
        .containsExactly(
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "vendor=x",
            "userId=alice",
            "80f198ee56343ba864fe8b2a57d3eff7");
    assertThat(written.get(4).value()).isNotEqualTo(EMAIL);

    SourceRecord byName = encrypt("Baggage,user-*").apply(source(original.duplicate()));
    assertThat(byName.headers().lastWithName("Baggage").value()).isNotEqualTo("userId=alice");
    assertThat(byName.headers().lastWithName("traceparent").value())
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  }

  @Test
  void tamperedCiphertext_failsNamingTheHeaderAndRecordButNotTheValue() {
    SourceRecord encrypted =
        encrypt("user-email").apply(source(headers().addString("user-email", EMAIL)));
    byte[] ciphertext =
        Base64.getDecoder().decode((String) encrypted.headers().lastWithName("user-email").value());
    ciphertext[14] ^= 0x01;
    SourceRecord tampered =
        source(headers().addString("user-email", Base64.getEncoder().encodeToString(ciphertext)));

    assertThatThrownBy(() -> decrypt("user-email").apply(asSink(tampered)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("topic 'customers'")
        .hasMessageContaining("partition 2")
        .hasMessageContaining("offset 42")
        .hasMessageContaining("header 'user-email'")
        .hasMessageNotContaining(EMAIL)
        .hasMessageNotContaining(Base64.getEncoder().encodeToString(ciphertext));
  }

  @Test
  void ciphertextMovedToAnotherHeader_doesNotDecrypt() {
    SourceRecord encrypted =
        encrypt("user-*").apply(source(headers().addString("user-email", EMAIL)));
    Object ciphertext = encrypted.headers().lastWithName("user-email").value();
    SourceRecord moved = source(headers().addString("user-name", (String) ciphertext));

    assertThatThrownBy(() -> decrypt("user-*").apply(asSink(moved)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("header 'user-name'")
        .hasMessageContaining("decryption failed");
  }

  @Test
  void configuredHeaderArrivingInPlaintext_failsUnlessPassThroughIsSet() {
    SourceRecord plaintext = source(headers().addString("user-email", EMAIL).addInt("user-id", 7));

    assertThatThrownBy(() -> decrypt("user-email").apply(asSink(plaintext)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("header 'user-email'")
        .hasMessageContaining("not standard base64")
        .hasMessageNotContaining(EMAIL);
    assertThatThrownBy(() -> decrypt("user-id").apply(asSink(plaintext)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("header 'user-id'")
        .hasMessageContaining("not a ciphertext");

    Map<String, String> passThrough = HeaderFixtures.config(registry, "user-email");
    passThrough.put("decrypt.on.failure", "passthrough");
    DecryptHeaders<SinkRecord> lenient = decrypt(passThrough);
    assertThat(lenient.apply(asSink(plaintext)).headers().lastWithName("user-email").value())
        .isEqualTo(EMAIL);
    assertThat(lenient.metrics.passedThrough()).isEqualTo(1);
  }

  @Test
  void base64LookingPlaintext_stillFailsAuthentication() {
    encrypt("user-email").apply(source(headers().addString("user-email", EMAIL))); // the DEK exists
    String forged =
        Base64.getEncoder()
            .encodeToString(
                "an attacker-chosen value, long enough to be a ciphertext"
                    .getBytes(StandardCharsets.UTF_8));
    SourceRecord record = source(headers().addString("user-email", forged));

    assertThatThrownBy(() -> decrypt("user-email").apply(asSink(record)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("header 'user-email'")
        .hasMessageContaining("decryption failed");
  }

  @Test
  void unsupportedHeaderTypes_areRefusedClearly() {
    Schema schema = SchemaBuilder.struct().name("Who").field("email", Schema.STRING_SCHEMA).build();
    SourceRecord struct =
        source(headers().addStruct("user", new Struct(schema).put("email", EMAIL)));
    SourceRecord list =
        source(
            headers()
                .addList("user", List.of("a"), SchemaBuilder.array(Schema.STRING_SCHEMA).build()));
    SourceRecord decimal = source(headers().addDecimal("user", new java.math.BigDecimal("1.50")));
    EncryptHeaders<SourceRecord> transform = encrypt("user");

    assertThatThrownBy(() -> transform.apply(struct))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("header 'user'")
        .hasMessageContaining("STRUCT (Who) is not supported")
        .hasMessageNotContaining(EMAIL);
    assertThatThrownBy(() -> transform.apply(list))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("ARRAY is not supported");
    assertThatThrownBy(() -> transform.apply(decimal))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("org.apache.kafka.connect.data.Decimal");
    assertThat(transform.metrics.failures()).isEqualTo(3);
  }

  @Test
  void rotationMode_prefixesTheDekVersionAndDecrypts() {
    Map<String, String> config = HeaderFixtures.config(registry, "user-email");
    config.put("encrypt.dek.expiry.days", "30");
    SourceRecord encrypted =
        encrypt(config).apply(source(headers().addString("user-email", EMAIL)));

    byte[] stored =
        Base64.getDecoder().decode((String) encrypted.headers().lastWithName("user-email").value());
    assertThat(stored).startsWith(0, 0, 0, 0, 1);
    assertThat(
            decrypt(config).apply(asSink(encrypted)).headers().lastWithName("user-email").value())
        .isEqualTo(EMAIL);
  }

  @Test
  void headersUseTheirOwnSubjectByDefault_andDekSubjectWhenSet() {
    encrypt("user-email").apply(source(headers().addString("user-email", EMAIL)));
    Map<String, String> config = HeaderFixtures.config(registry, "user-email");
    config.put("dek.subject", "${topic}-value");
    encrypt(config).apply(source(headers().addString("user-email", EMAIL)));

    assertThat(registry.requests())
        .extracting(InMemoryDekRegistryServer.RecordedRequest::path)
        .anyMatch(path -> path.contains("customers-headers"))
        .anyMatch(path -> path.contains("customers-value"));
  }

  @Test
  void emptyOrBlankHeadersKey_isAConfigError() {
    Map<String, String> config = HeaderFixtures.config(registry, "user-email, ");
    assertThatThrownBy(() -> new EncryptHeaders<SourceRecord>().configure(config))
        .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
        .hasMessageContaining("headers");
    config.put("headers", "");
    assertThatThrownBy(() -> new DecryptHeaders<SinkRecord>().configure(config))
        .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
        .hasMessageContaining("headers");
  }

  @Test
  void subjectFromAnotherHeader_givesEachTenantItsOwnDek() {
    Map<String, String> config = HeaderFixtures.config(registry, "user-email");
    config.put("dek.subject", "tenant-${header.tenant}");
    EncryptHeaders<SourceRecord> encrypt = encrypt(config);
    SourceRecord first =
        encrypt.apply(source(headers().addString("tenant", "a").addString("user-email", EMAIL)));
    encrypt.apply(source(headers().addString("tenant", "b").addString("user-email", EMAIL)));

    assertThat(decrypt(config).apply(asSink(first)).headers().lastWithName("user-email").value())
        .isEqualTo(EMAIL);
    assertThat(registry.requests())
        .extracting(InMemoryDekRegistryServer.RecordedRequest::path)
        .anyMatch(path -> path.contains("tenant-a"))
        .anyMatch(path -> path.contains("tenant-b"));
  }

  @Test
  void subjectReadingAnEncryptedHeader_isAConfigError() {
    Map<String, String> config = HeaderFixtures.config(registry, "user-*");
    config.put("dek.subject", "tenant-${header.user-id}");

    assertThatThrownBy(() -> new EncryptHeaders<SourceRecord>().configure(config))
        .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
        .hasMessageContaining("user-id")
        .hasMessageContaining("encrypts");
  }
}
