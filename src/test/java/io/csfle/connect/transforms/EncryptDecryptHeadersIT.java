package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.ConnectClusterSupport.KEK_NAME;
import static io.csfle.connect.transforms.ConnectClusterSupport.KMS_KEY_ID;
import static io.csfle.connect.transforms.ConnectClusterSupport.SECRET;
import static io.csfle.connect.transforms.ConnectClusterSupport.awaitSinkRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.indexOf;
import static io.csfle.connect.transforms.ConnectClusterSupport.isPaddedStandardBase64;
import static io.csfle.connect.transforms.ConnectClusterSupport.keyProto;
import static io.csfle.connect.transforms.ConnectClusterSupport.rawRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.sinkConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.slice;
import static io.csfle.connect.transforms.ConnectClusterSupport.sourceConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.taskFailed;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.testing.CustomerRecords;
import io.csfle.connect.testkit.ClusterExtension;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.HeaderFrom;
import org.apache.kafka.connect.transforms.InsertHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Encrypted headers through a real broker and Connect worker with its default header converter
 * ({@code SimpleHeaderConverter}): a source connector copies each record's e-mail into a {@code
 * user-email} header and adds a {@code traceparent}, {@link EncryptHeaders} encrypts {@code
 * user-*}, the broker's header bytes are checked (no plaintext; the ciphertext decrypts with plain
 * JCE, the registry's DEK and the header name as associated data), and a sink with {@link
 * DecryptHeaders} gets the e-mails back. A plaintext header under the decrypted name fails the
 * sink.
 */
class EncryptDecryptHeadersIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ConnectClusterSupport.clusters("csfle-headers", "service_load").withRegistry();

  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private Map<String, String> headerTransform(
      Map<String, String> config, String alias, Class<?> type) {
    String prefix = "transforms." + alias + ".";
    config.putIfAbsent("transforms", alias);
    config.put(prefix + "type", type.getName());
    config.put(prefix + "headers", "user-*");
    config.put(prefix + "schema.registry.url", clusters.registry().url());
    config.put(prefix + "encrypt.kek.name", KEK_NAME);
    config.put(prefix + "kms.secret", SECRET);
    if (type == EncryptHeaders.class) {
      config.put(prefix + "encrypt.kms.type", LocalKekProvider.KMS_TYPE);
      config.put(prefix + "encrypt.kms.key.id", KMS_KEY_ID);
    }
    return config;
  }

  @Test
  @Timeout(120)
  void sourceEncryptsAHeader_brokerSeesNoPlaintext_sinkGetsItBack() throws Exception {
    String topic = "orders-with-headers";
    int count = 10;
    clusters.connectCluster().kafka().createTopic(topic, 1);
    Map<String, String> source = sourceConfig(topic, count, false);
    source.put("transforms", "copy,trace,encrypt");
    source.put("transforms.copy.type", HeaderFrom.Value.class.getName());
    source.put("transforms.copy.fields", "email");
    source.put("transforms.copy.headers", "user-email");
    source.put("transforms.copy.operation", "copy");
    source.put("transforms.trace.type", InsertHeader.class.getName());
    source.put("transforms.trace.header", "traceparent");
    source.put("transforms.trace.value.literal", TRACEPARENT);
    clusters.startConnector(
        "encrypt-" + topic, headerTransform(source, "encrypt", EncryptHeaders.class));
    List<ConsumerRecord<byte[], byte[]>> raw =
        rawRecords(clusters.connectCluster(), "encrypt-" + topic, topic, count);

    byte[] proto =
        keyProto(clusters.registry().url(), topic + "-headers", 1, DekAlgorithm.AES256_GCM);
    for (ConsumerRecord<byte[], byte[]> record : raw) {
      Header email = record.headers().lastHeader("user-email");
      String text = new String(email.value(), UTF_8);
      assertThat(isPaddedStandardBase64(text)).as(text).isTrue();
      for (int i = 0; i < count; i++) {
        assertThat(indexOf(email.value(), CustomerRecords.email(i).getBytes(UTF_8))).isEqualTo(-1);
      }
      assertThat(record.headers().lastHeader("traceparent").value())
          .asString(UTF_8)
          .isEqualTo(TRACEPARENT);
    }
    // Independently of our classes: AES-GCM with the registry's DEK and the header name as AD,
    // giving the typed plaintext of a STRING (ff 01 08, length, UTF-8).
    String plain =
        new String(
            decryptHeader(
                proto, "user-email", raw.get(3).headers().lastHeader("user-email").value()),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    String expected = CustomerRecords.email(3);
    assertThat(
            HexFormat.of().formatHex(plain.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
        .isEqualTo(
            "ff0108"
                + String.format("%02x", expected.length())
                + HexFormat.of().formatHex(expected.getBytes(UTF_8)));

    String collector = "decrypt-" + topic;
    clusters.startConnector(
        collector, headerTransform(sinkConfig(topic, collector), "decrypt", DecryptHeaders.class));
    List<SinkRecord> received =
        awaitSinkRecords(clusters.connectCluster(), collector, collector, count);
    assertThat(received).hasSize(count);
    for (SinkRecord record : received) {
      int id = ((Struct) record.value()).getInt64("id").intValue();
      assertThat(record.headers().lastWithName("user-email").value())
          .isEqualTo(CustomerRecords.email(id));
      assertThat(record.headers().lastWithName("traceparent").value()).isEqualTo(TRACEPARENT);
    }
  }

  @Test
  @Timeout(120)
  void plaintextUnderADecryptedHeaderName_failsTheSinkTask() throws Exception {
    String topic = "forged-headers";
    clusters.connectCluster().kafka().createTopic(topic, 1);
    ProducerRecord<byte[], byte[]> forged =
        new ProducerRecord<>(
            topic,
            0,
            (byte[]) null,
            "{\"schema\":{\"type\":\"string\"},\"payload\":\"v\"}".getBytes(UTF_8),
            List.<Header>of(new RecordHeader("user-email", "mallory@example.com".getBytes(UTF_8))));
    try (var producer = clusters.connectCluster().kafka().createProducer(Map.of())) {
      producer.send(forged).get();
    }
    String collector = "decrypt-" + topic;
    Map<String, String> sink =
        headerTransform(sinkConfig(topic, collector), "decrypt", DecryptHeaders.class);
    clusters.connectCluster().configureConnector(collector, sink);

    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!taskFailed(clusters.connectCluster(), collector) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    String trace = clusters.connectCluster().connectorStatus(collector).tasks().get(0).trace();
    assertThat(trace)
        .contains("header 'user-email'")
        .contains("offset 0")
        .doesNotContain("mallory");
    assertThat(io.csfle.connect.testing.SinkRecordStore.records(collector))
        .noneMatch(r -> r.headers().lastWithName("user-email") != null);
    clusters.connectCluster().deleteConnector(collector);
  }

  private static byte[] decryptHeader(byte[] keyProto, String name, byte[] base64)
      throws Exception {
    byte[] ciphertext = Base64.getDecoder().decode(base64);
    byte[] key = slice(keyProto, keyProto.length - 32);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(128, ciphertext, 0, 12));
    cipher.updateAAD(("csfle.header:" + name).getBytes(UTF_8));
    return cipher.doFinal(ciphertext, 12, ciphertext.length - 12);
  }
}
