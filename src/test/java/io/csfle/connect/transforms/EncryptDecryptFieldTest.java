package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.decryptKey;
import static io.csfle.connect.transforms.TransformFixtures.decryptValue;
import static io.csfle.connect.transforms.TransformFixtures.encryptKey;
import static io.csfle.connect.transforms.TransformFixtures.encryptValue;
import static io.csfle.connect.transforms.TransformFixtures.schemalessValue;
import static io.csfle.connect.transforms.TransformFixtures.sourceRecord;
import static io.csfle.connect.transforms.TransformFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EncryptDecryptFieldTest {
  private static final String FIELDS = "email,ssn,card,customer.email";

  private InMemoryDekRegistryServer registry;
  private EncryptField<SourceRecord> encrypt;
  private DecryptField<SinkRecord> decrypt;

  @BeforeEach
  void startRegistry() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
  }

  @AfterEach
  void stop() {
    if (encrypt != null) {
      encrypt.close();
    }
    if (decrypt != null) {
      decrypt.close();
    }
    registry.close();
  }

  private SourceRecord encrypt(Map<String, String> config, SourceRecord record) {
    encrypt = encryptValue(config);
    return encrypt.apply(record);
  }

  private SinkRecord decrypt(Map<String, String> config, SourceRecord record) {
    decrypt = decryptValue(config);
    return decrypt.apply(asSinkRecord(record));
  }

  @Test
  void structValue_encryptsOnlyTheConfiguredFieldsAndDecryptRestoresThem() {
    Struct original = value(1, "alice@example.com", "123-45-6789");
    SourceRecord encrypted =
        encrypt(config(registry, FIELDS), sourceRecord(TransformFixtures.VALUE, original));

    Struct e = (Struct) encrypted.value();
    assertThat(encrypted.valueSchema()).isSameAs(TransformFixtures.VALUE);
    assertThat(e.getInt64("id")).isEqualTo(1L);
    assertThat(e.getStruct("customer").getString("tier")).isEqualTo("gold");
    assertThat(e.getString("email")).isNotEqualTo("alice@example.com");
    assertThat(Base64.getDecoder().decode(e.getString("email"))).hasSize(12 + 17 + 16);
    assertThat(e.getString("ssn")).isNotEqualTo("123-45-6789");
    assertThat(e.getBytes("card")).hasSize(12 + 6 + 16);
    assertThat(e.getStruct("customer").getString("email")).doesNotContain("alice");

    SinkRecord decrypted = decrypt(config(registry, FIELDS), encrypted);
    assertThat(decrypted.value()).isEqualTo(original);
    assertThat(decrypted.valueSchema()).isSameAs(TransformFixtures.VALUE);
  }

  @Test
  void inputRecord_isNeverMutated() {
    Struct original = value(1, "alice@example.com", null);
    Struct copy = value(1, "alice@example.com", null);
    encrypt(config(registry, FIELDS), sourceRecord(TransformFixtures.VALUE, original));
    assertThat(original).isEqualTo(copy);
  }

  @Test
  void nullOptionalField_staysNull() {
    SourceRecord encrypted =
        encrypt(
            config(registry, FIELDS),
            sourceRecord(TransformFixtures.VALUE, value(1, "a@b.c", null)));
    assertThat(((Struct) encrypted.value()).getString("ssn")).isNull();
  }

  @Test
  void emptyString_isEncryptedAndRestored() {
    Struct original = value(1, "", "");
    SourceRecord encrypted =
        encrypt(config(registry, FIELDS), sourceRecord(TransformFixtures.VALUE, original));
    assertThat(((Struct) encrypted.value()).getString("email")).isNotEmpty();
    assertThat(decrypt(config(registry, FIELDS), encrypted).value()).isEqualTo(original);
  }

  @Test
  void schemalessValue_roundTrips() {
    Map<String, Object> original = schemalessValue("bob@example.com");
    SourceRecord encrypted =
        encrypt(config(registry, "email,ssn,customer.email,absent"), sourceRecord(null, original));

    @SuppressWarnings("unchecked")
    Map<String, Object> e = (Map<String, Object>) encrypted.value();
    assertThat(e.get("email")).isInstanceOf(String.class).isNotEqualTo("bob@example.com");
    assertThat(e).containsEntry("ssn", null).doesNotContainKey("absent");
    assertThat(decrypt(config(registry, "email,ssn,customer.email,absent"), encrypted).value())
        .isEqualTo(original);
  }

  @Test
  void tombstone_passesThroughUntouched() {
    SourceRecord tombstone = sourceRecord(null, null);
    assertThat(encrypt(config(registry, FIELDS), tombstone)).isSameAs(tombstone);
    assertThat(registry.requestCount()).isZero();
  }

  @Test
  void keySide_encryptsKeyFieldsAndLeavesTheValueAlone() {
    Struct value = value(1, "alice@example.com", null);
    SourceRecord record = sourceRecord(TransformFixtures.VALUE, value);
    Map<String, String> config = config(registry, "customerId");
    EncryptField<SourceRecord> keyEncrypt = encryptKey(config);
    try {
      SourceRecord encrypted = keyEncrypt.apply(record);
      assertThat(((Struct) encrypted.key()).getString("customerId")).isNotEqualTo("cust-1");
      assertThat(encrypted.value()).isSameAs(value);
      assertThat(
              registry.requestCount(
                  "GET", "/dek-registry/v1/keks/test_kek/deks/customers-key" + "/versions/1"))
          .isEqualTo(1);

      DecryptField<SinkRecord> keyDecrypt = decryptKey(config);
      try {
        assertThat(keyDecrypt.apply(asSinkRecord(encrypted)).key()).isEqualTo(record.key());
      } finally {
        keyDecrypt.close();
      }
    } finally {
      keyEncrypt.close();
    }
  }

  @Test
  void deterministicAlgorithm_givesEqualCiphertextsForEqualValues() {
    Map<String, String> config = config(registry, "email");
    config.put("encrypt.dek.algorithm", "AES256_SIV");
    encrypt = encryptValue(config);
    Object first =
        ((Struct)
                encrypt
                    .apply(sourceRecord(TransformFixtures.VALUE, value(1, "x@y.z", null)))
                    .value())
            .get("email");
    Object second =
        ((Struct)
                encrypt
                    .apply(sourceRecord(TransformFixtures.VALUE, value(2, "x@y.z", null)))
                    .value())
            .get("email");
    assertThat(first).isEqualTo(second);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void rotationMode_prefixesTheDekVersionAndDecrypts(Mode mode) {
    registry.close();
    registry = InMemoryDekRegistryServer.start(mode);
    Map<String, String> config = config(registry, "email");
    config.put("encrypt.dek.expiry.days", "30");
    Struct original = value(1, "alice@example.com", null);

    SourceRecord encrypted = encrypt(config, sourceRecord(TransformFixtures.VALUE, original));

    byte[] raw = Base64.getDecoder().decode(((Struct) encrypted.value()).getString("email"));
    assertThat(raw).startsWith(0, 0, 0, 0, 1);
    assertThat(raw).hasSize(5 + 12 + 17 + 16);
    assertThat(decrypt(config, encrypted).value()).isEqualTo(original);
  }

  @Test
  void steadyState_makesNoRegistryCallsPerRecord() {
    encrypt = encryptValue(config(registry, FIELDS));
    decrypt = decryptValue(config(registry, FIELDS));
    SourceRecord first = encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(0, "a", "b")));
    decrypt.apply(asSinkRecord(first));
    int afterWarmup = registry.requestCount();

    for (int i = 1; i <= 500; i++) {
      Struct original = value(i, "user" + i + "@example.com", "ssn-" + i);
      SourceRecord encrypted = encrypt.apply(sourceRecord(TransformFixtures.VALUE, original));
      assertThat(decrypt.apply(asSinkRecord(encrypted)).value()).isEqualTo(original);
    }

    assertThat(registry.requestCount()).isEqualTo(afterWarmup);
  }

  @Test
  void encryptedString_isPaddedStandardBase64() {
    SourceRecord encrypted =
        encrypt(
            config(registry, "email"), sourceRecord(TransformFixtures.VALUE, value(1, "ab", null)));
    String email = ((Struct) encrypted.value()).getString("email");
    // 12 + 2 + 16 = 30 bytes -> 40 chars, no padding needed; 31 bytes would need one '='.
    assertThat(email).matches("[A-Za-z0-9+/]+={0,2}").hasSize(40);
    SourceRecord longer =
        encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(2, "abc", null)));
    assertThat(((Struct) longer.value()).getString("email")).endsWith("=").hasSize(44);
  }

  @Test
  void plaintextBytes_neverAppearInTheEncryptedRecord() {
    String secret = "very-secret-value@example.com";
    SourceRecord encrypted =
        encrypt(
            config(registry, FIELDS),
            sourceRecord(TransformFixtures.VALUE, value(1, secret, secret)));
    assertThat(encrypted.value().toString()).doesNotContain(secret).doesNotContain("4111-1");
    assertThat(
            new String(((Struct) encrypted.value()).getBytes("card"), StandardCharsets.ISO_8859_1))
        .doesNotContain("4111-1");
  }

  @Test
  void deterministicAlgorithmOnTypedKeys_keepsEqualKeysEqual() {
    org.apache.kafka.connect.data.Schema keySchema =
        org.apache.kafka.connect.data.SchemaBuilder.struct()
            .name("OrderKey")
            .field("orderId", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("placed", org.apache.kafka.connect.data.Timestamp.SCHEMA)
            .build();
    Map<String, String> config = config(registry, "orderId,placed");
    config.put("encrypt.dek.algorithm", "AES256_SIV");
    EncryptField<SourceRecord> keyEncrypt = encryptKey(config);
    DecryptField<SinkRecord> keyDecrypt = decryptKey(config);
    try {
      java.util.function.LongFunction<SourceRecord> record =
          id ->
              new SourceRecord(
                  null,
                  null,
                  "orders",
                  0,
                  keySchema,
                  new Struct(keySchema).put("orderId", id).put("placed", new java.util.Date(id)),
                  null,
                  null);
      Object first = keyEncrypt.apply(record.apply(42L)).key();
      Object again = keyEncrypt.apply(record.apply(42L)).key();
      Object other = keyEncrypt.apply(record.apply(43L)).key();

      assertThat(again).isEqualTo(first);
      assertThat(other).isNotEqualTo(first);
      assertThat(keyDecrypt.apply(asSinkRecord(keyEncrypt.apply(record.apply(42L)))).key())
          .isEqualTo(record.apply(42L).key());
    } finally {
      keyEncrypt.close();
      keyDecrypt.close();
    }
  }
}
