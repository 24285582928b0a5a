package io.csfle.connect.transforms;

import static io.csfle.connect.testing.CustomerRecords.card;
import static io.csfle.connect.testing.CustomerRecords.customerEmail;
import static io.csfle.connect.testing.CustomerRecords.customerId;
import static io.csfle.connect.testing.CustomerRecords.email;
import static io.csfle.connect.testing.CustomerRecords.normalize;
import static io.csfle.connect.transforms.ConnectClusterSupport.awaitSinkRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.indexOf;
import static io.csfle.connect.transforms.ConnectClusterSupport.isPaddedStandardBase64;
import static io.csfle.connect.transforms.ConnectClusterSupport.json;
import static io.csfle.connect.transforms.ConnectClusterSupport.keyProto;
import static io.csfle.connect.transforms.ConnectClusterSupport.rawRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.schemaless;
import static io.csfle.connect.transforms.ConnectClusterSupport.sinkConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.slice;
import static io.csfle.connect.transforms.ConnectClusterSupport.sourceConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.withTransform;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.crypto.tink.subtle.AesSiv;
import io.csfle.connect.config.KekKeys;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.kms.aws.InMemoryAwsKmsServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.testing.CustomerRecords;
import io.csfle.connect.testkit.ClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Round trips through a real broker and Connect worker: a source connector with {@link
 * EncryptField} writes, the raw topic bytes are checked against Confluent's wire format with plain
 * JCE (or Tink for AES-SIV) and the registry's DEK, and a sink connector with {@link DecryptField}
 * must receive exactly the original records.
 */
class EncryptDecryptIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ConnectClusterSupport.clusters("csfle-round-trips", "service_load").withRegistry();

  private static final String VALUE_FIELDS = "email,customer.email,card";
  private static final int GCM_OVERHEAD = 12 + 16;
  private static final int ROTATION_PREFIX = 5;

  @Test
  @Timeout(90)
  void schemaValue_topicHoldsConfluentCiphertextAndSinkRestoresPlaintext() throws Exception {
    String topic = "orders-schema";
    int count = 20;
    List<ConsumerRecord<byte[], byte[]>> raw =
        encryptTo(topic, count, false, EncryptField.Value.class, VALUE_FIELDS, Map.of());

    assertNoPlaintext(raw, count, true);
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      JsonNode payload = json(record.value()).get("payload");
      int i = payload.get("id").asInt();
      assertThat(base64Ciphertext(payload.get("email"))).hasSize(GCM_OVERHEAD + email(i).length());
      assertThat(base64Ciphertext(payload.at("/customer/email")))
          .hasSize(GCM_OVERHEAD + customerEmail(i).length());
      assertThat(payload.get("card").binaryValue()).hasSize(GCM_OVERHEAD + card(i).length);
      assertThat(payload.get("name").asText()).isEqualTo(CustomerRecords.name(i));
      assertThat(payload.get("ssn").isNull()).isEqualTo(CustomerRecords.ssn(i) == null);
      assertThat(payload.at("/customer/tier").asText()).isEqualTo(CustomerRecords.tier(i));
    }

    // Decrypt with the registry's DEK and plain JCE: Confluent's format, not our cipher classes.
    byte[] proto =
        keyProto(clusters.registry().url(), topic + "-value", 1, DekAlgorithm.AES256_GCM);
    JsonNode first = json(raw.get(3).value()).get("payload");
    int i = first.get("id").asInt();
    assertThat(new String(aesGcmDecrypt(proto, base64Ciphertext(first.get("email"))), UTF_8))
        .isEqualTo(email(i));
    assertThat(aesGcmDecrypt(proto, first.get("card").binaryValue())).isEqualTo(card(i));

    List<SinkRecord> received =
        decryptFrom(topic, count, false, DecryptField.Value.class, VALUE_FIELDS, Map.of());
    for (SinkRecord record : received) {
      int id = id(record);
      assertThat(normalize(record.value())).isEqualTo(normalize(CustomerRecords.value(id)));
      assertThat(normalize(record.key())).isEqualTo(normalize(CustomerRecords.key(id)));
      assertThat(record.valueSchema().field("email").schema().type()).isEqualTo(Schema.Type.STRING);
      assertThat(record.valueSchema().field("card").schema().type()).isEqualTo(Schema.Type.BYTES);
    }
    assertThat(received).extracting(r -> ((Struct) r.value()).get("ssn")).containsNull();
  }

  /**
   * Schemaless JSON has no BYTES type (bytes become base64 text), so only string fields are
   * encrypted here; {@code card} travels as JSON's base64 text, untouched.
   */
  @Test
  @Timeout(90)
  void schemalessValue_topicHoldsCiphertextAndSinkRestoresPlaintext() throws Exception {
    String topic = "orders-schemaless";
    int count = 20;
    String fields = "email,customer.email";
    List<ConsumerRecord<byte[], byte[]>> raw =
        encryptTo(topic, count, true, EncryptField.Value.class, fields, Map.of());

    assertNoPlaintext(raw, count, false);
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      JsonNode value = json(record.value());
      assertThat(value.has("schema")).isFalse();
      int i = value.get("id").asInt();
      assertThat(base64Ciphertext(value.get("email"))).hasSize(GCM_OVERHEAD + email(i).length());
      assertThat(base64Ciphertext(value.at("/customer/email")))
          .hasSize(GCM_OVERHEAD + customerEmail(i).length());
    }
    byte[] proto =
        keyProto(clusters.registry().url(), topic + "-value", 1, DekAlgorithm.AES256_GCM);
    JsonNode first = json(raw.get(0).value());
    assertThat(aesGcmDecrypt(proto, base64Ciphertext(first.at("/customer/email"))))
        .asString(UTF_8)
        .isEqualTo(customerEmail(first.get("id").asInt()));

    List<SinkRecord> received =
        decryptFrom(topic, count, true, DecryptField.Value.class, fields, Map.of());
    for (SinkRecord record : received) {
      assertThat(record.valueSchema()).isNull();
      int id = ((Number) ((Map<?, ?>) record.value()).get("id")).intValue();
      Map<String, Object> expected = CustomerRecords.valueMap(id);
      expected.put("card", Base64.getEncoder().encodeToString(card(id)));
      assertThat(normalize(record.value())).isEqualTo(normalize(expected));
      assertThat(normalize(record.key())).isEqualTo(normalize(CustomerRecords.keyMap(id)));
    }
  }

  @Test
  @Timeout(90)
  void deterministicKey_equalKeysGiveEqualCiphertextAndSinkRestoresKeys() throws Exception {
    String topic = "orders-by-customer";
    int count = 20;
    Map<String, String> siv = Map.of(KekKeys.ALGORITHM_CONFIG, "AES256_SIV");
    List<ConsumerRecord<byte[], byte[]>> raw =
        encryptTo(topic, count, false, EncryptField.Key.class, "customerId", siv);

    Map<String, Set<String>> ciphertextsByPlaintext = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      int i = json(record.value()).at("/payload/id").asInt();
      JsonNode encrypted = json(record.key()).at("/payload/customerId");
      assertThat(indexOf(record.key(), customerId(i).getBytes(UTF_8))).isEqualTo(-1);
      assertThat(base64Ciphertext(encrypted)).hasSize(16 + customerId(i).length());
      assertThat(json(record.value()).at("/payload/email").asText()).isEqualTo(email(i));
      ciphertextsByPlaintext
          .computeIfAbsent(customerId(i), k -> new HashSet<>())
          .add(encrypted.asText());
    }
    assertThat(ciphertextsByPlaintext).hasSize(CustomerRecords.DISTINCT_KEYS);
    assertThat(ciphertextsByPlaintext.values()).allSatisfy(set -> assertThat(set).hasSize(1));
    assertThat(ciphertextsByPlaintext.values().stream().flatMap(Set::stream).distinct())
        .hasSize(CustomerRecords.DISTINCT_KEYS);

    // Tink's own AES-SIV with one empty associated-data component gives the same bytes.
    byte[] proto = keyProto(clusters.registry().url(), topic + "-key", 1, DekAlgorithm.AES256_SIV);
    assertThat(proto).hasSize(66).startsWith(0x12, 0x40);
    byte[] expected =
        new AesSiv(slice(proto, 2))
            .encryptDeterministically(customerId(0).getBytes(UTF_8), new byte[0]);
    assertThat(ciphertextsByPlaintext.get(customerId(0)))
        .containsExactly(Base64.getEncoder().encodeToString(expected));

    List<SinkRecord> received =
        decryptFrom(topic, count, false, DecryptField.Key.class, "customerId", siv);
    for (SinkRecord record : received) {
      int id = id(record);
      assertThat(normalize(record.key())).isEqualTo(normalize(CustomerRecords.key(id)));
      assertThat(normalize(record.value())).isEqualTo(normalize(CustomerRecords.value(id)));
    }
  }

  @Test
  @Timeout(90)
  void rotationMode_ciphertextCarriesVersionPrefixAndSinkRestoresPlaintext() throws Exception {
    String topic = "orders-rotating";
    int count = 10;
    Map<String, String> rotation = Map.of(KekKeys.EXPIRY_DAYS_CONFIG, "1");
    List<ConsumerRecord<byte[], byte[]>> raw =
        encryptTo(topic, count, false, EncryptField.Value.class, VALUE_FIELDS, rotation);

    byte[] versionOne = {0x00, 0x00, 0x00, 0x00, 0x01};
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      JsonNode payload = json(record.value()).get("payload");
      int i = payload.get("id").asInt();
      assertThat(base64Ciphertext(payload.get("email")))
          .startsWith(versionOne)
          .hasSize(ROTATION_PREFIX + GCM_OVERHEAD + email(i).length());
      assertThat(payload.get("card").binaryValue())
          .startsWith(versionOne)
          .hasSize(ROTATION_PREFIX + GCM_OVERHEAD + card(i).length);
    }
    byte[] proto =
        keyProto(clusters.registry().url(), topic + "-value", 1, DekAlgorithm.AES256_GCM);
    JsonNode first = json(raw.get(0).value()).get("payload");
    byte[] framed = base64Ciphertext(first.get("email"));
    assertThat(aesGcmDecrypt(proto, slice(framed, ROTATION_PREFIX)))
        .asString(UTF_8)
        .isEqualTo(email(first.get("id").asInt()));

    List<SinkRecord> received =
        decryptFrom(topic, count, false, DecryptField.Value.class, VALUE_FIELDS, rotation);
    for (SinkRecord record : received) {
      int id = id(record);
      assertThat(normalize(record.value())).isEqualTo(normalize(CustomerRecords.value(id)));
    }
  }

  @Test
  @Timeout(90)
  void awsKmsKekWithSecretFromAConfigProvider_pipelineEncryptsAndDecrypts() throws Exception {
    String arn = "arn:aws:kms:us-east-1:111122223333:key/0000aaaa-1111-2222-3333-444455556666";
    try (InMemoryAwsKmsServer kms = new InMemoryAwsKmsServer()) {
      kms.allowAccessKeyId("AKIAITCONNECT0000001");
      kms.addKey(arn);
      Map<String, String> credentials = new HashMap<>();
      credentials.put(KekKeys.KEK_NAME_CONFIG, "it_aws_kek");
      // Credentials come through Connect config providers, as operators keep them: the writer's
      // access key id from a file, the reader's from an environment variable. The fake KMS refuses
      // any other access key id, so an unresolved placeholder would fail the pipeline.
      Path secrets = Files.createTempFile("aws-credentials", ".properties");
      Files.writeString(secrets, "access.key.id=AKIAITCONNECT0000001\n");
      credentials.put("kms.secret.access.key", "it-secret-access-key");
      credentials.put("kms.endpoint", kms.endpoint().toString());
      Map<String, String> writer = new HashMap<>(credentials);
      writer.put("kms.access.key.id", "${file:" + secrets + ":access.key.id}");
      credentials.put("kms.access.key.id", "${env:CSFLE_IT_AWS_ACCESS_KEY_ID}");
      writer.put(KekKeys.KMS_TYPE_CONFIG, "aws-kms");
      writer.put(KekKeys.KMS_KEY_ID_CONFIG, arn);
      String topic = "orders-aws";
      int count = 5;

      List<ConsumerRecord<byte[], byte[]>> raw =
          encryptTo(topic, count, false, EncryptField.Value.class, VALUE_FIELDS, writer);
      assertNoPlaintext(raw, count, true);
      List<SinkRecord> received =
          decryptFrom(topic, count, false, DecryptField.Value.class, VALUE_FIELDS, credentials);

      for (SinkRecord record : received) {
        assertThat(normalize(record.value()))
            .isEqualTo(normalize(CustomerRecords.value(id(record))));
      }
    }
  }

  @Test
  @Timeout(90)
  void steadyState_registryRequestsDoNotGrowWithRecordCount() throws Exception {
    String topic = "orders-steady";
    int count = 200;
    try (InMemoryDekRegistryServer own =
        InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT)) {
      clusters.connectCluster().kafka().createTopic(topic, 1);
      clusters.startConnector(
          "encrypt-" + topic,
          withTransform(
              sourceConfig(topic, count, false),
              "encrypt",
              EncryptField.Value.class,
              VALUE_FIELDS,
              own.url(),
              Map.of()));
      List<ConsumerRecord<byte[], byte[]>> raw =
          rawRecords(clusters.connectCluster(), "encrypt-" + topic, topic, count);
      assertNoPlaintext(raw.subList(count - 10, count), count, true);
      int writerRequests = own.requestCount();
      // KEK lookup + create, DEK lookup + create: a handful, whatever the record count.
      assertThat(writerRequests).as("writer requests %s", own.requests()).isBetween(1, 10);

      String collector = "decrypt-" + topic;
      clusters.startConnector(
          collector,
          withTransform(
              sinkConfig(topic, collector),
              "decrypt",
              DecryptField.Value.class,
              VALUE_FIELDS,
              own.url(),
              Map.of()));
      List<SinkRecord> received =
          awaitSinkRecords(clusters.connectCluster(), collector, collector, count);
      assertThat(received).hasSize(count);
      assertThat(normalize(received.get(count - 1).value()))
          .isEqualTo(normalize(CustomerRecords.value(count - 1)));
      assertThat(own.requestCount() - writerRequests)
          .as("reader requests %s", own.requests())
          .isBetween(1, 10);
    }
  }

  // ---- helpers ----

  private List<ConsumerRecord<byte[], byte[]>> encryptTo(
      String topic,
      int count,
      boolean schemaless,
      Class<?> transform,
      String fields,
      Map<String, String> extra)
      throws Exception {
    clusters.connectCluster().kafka().createTopic(topic, 1);
    Map<String, String> config = sourceConfig(topic, count, schemaless);
    if (schemaless) {
      schemaless(config);
    }
    clusters.startConnector(
        "encrypt-" + topic,
        withTransform(config, "encrypt", transform, fields, clusters.registry().url(), extra));
    return rawRecords(clusters.connectCluster(), "encrypt-" + topic, topic, count);
  }

  private List<SinkRecord> decryptFrom(
      String topic,
      int count,
      boolean schemaless,
      Class<?> transform,
      String fields,
      Map<String, String> extra)
      throws InterruptedException {
    String collector = "decrypt-" + topic;
    Map<String, String> config = sinkConfig(topic, collector);
    if (schemaless) {
      schemaless(config);
    }
    clusters.startConnector(
        collector,
        withTransform(config, "decrypt", transform, fields, clusters.registry().url(), extra));
    List<SinkRecord> received =
        awaitSinkRecords(clusters.connectCluster(), collector, collector, count);
    assertThat(received).hasSize(count);
    return received;
  }

  /** The bytes of a STRING field's ciphertext, after checking it is padded standard base64. */
  private static byte[] base64Ciphertext(JsonNode field) {
    assertThat(field.isTextual()).as("text field %s", field).isTrue();
    assertThat(isPaddedStandardBase64(field.asText())).as("base64: %s", field).isTrue();
    return Base64.getDecoder().decode(field.asText());
  }

  /** No record's key or value bytes contain any record's plaintext email (or card bytes). */
  private static void assertNoPlaintext(
      List<ConsumerRecord<byte[], byte[]>> raw, int count, boolean cards) {
    Map<String, byte[]> needles = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      needles.put(email(i), email(i).getBytes(UTF_8));
      needles.put(customerEmail(i), customerEmail(i).getBytes(UTF_8));
      if (cards) {
        needles.put("card " + i, card(i));
        needles.put("base64 card " + i, Base64.getEncoder().encode(card(i)));
      }
    }
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      needles.forEach(
          (what, needle) -> {
            assertThat(indexOf(record.key(), needle)).as("%s in key", what).isEqualTo(-1);
            assertThat(indexOf(record.value(), needle)).as("%s in value", what).isEqualTo(-1);
          });
    }
  }

  /** AES-GCM with the key from an AesGcmKey proto ({@code 0x1A 0x20} + 32 bytes), empty AAD. */
  private static byte[] aesGcmDecrypt(byte[] keyProto, byte[] ciphertext)
      throws GeneralSecurityException {
    assertThat(keyProto).hasSize(34).startsWith(0x1A, 0x20);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(keyProto, 2, 32, "AES"),
        new GCMParameterSpec(128, ciphertext, 0, 12));
    return cipher.doFinal(ciphertext, 12, ciphertext.length - 12);
  }

  private static int id(SinkRecord record) {
    return ((Struct) record.value()).getInt64("id").intValue();
  }
}
