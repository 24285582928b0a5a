package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.ConnectClusterSupport.KEK_NAME;
import static io.csfle.connect.transforms.ConnectClusterSupport.awaitSinkRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.rawRecords;
import static io.csfle.connect.transforms.ConnectClusterSupport.sinkConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.sourceConfig;
import static io.csfle.connect.transforms.ConnectClusterSupport.withTransform;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.admin.DekAdmin;
import io.csfle.connect.config.KekKeys;
import io.csfle.connect.testing.CustomerRecords;
import io.csfle.connect.testing.CustomerSourceConnector;
import io.csfle.connect.testkit.ClusterExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure end to end on a real worker: records of five customers are encrypted under per-customer
 * DEK subjects, one customer is forgotten with the key tool, and a sink with {@code
 * decrypt.on.forgotten=null} stores nulls in that customer's encrypted fields and plaintext for
 * every other customer.
 */
class ForgetEntityConnectIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ConnectClusterSupport.clusters("csfle-forget-entity", "service_load").withRegistry();

  private static final String FIELDS = "email,customer.email,card";
  private static final String TEMPLATE = "customer-${value.customer_id}";
  private static final int COUNT = 20;

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void forgottenCustomer_reachesTheSinkAsNulls_andTheOthersAsPlaintext() throws Exception {
    String topic = "orders-forget";
    String registryUrl = clusters.registry().url();
    clusters.connectCluster().kafka().createTopic(topic, 1);
    Map<String, String> source = sourceConfig(topic, COUNT, false);
    source.put(CustomerSourceConnector.CUSTOMER_ID_CONFIG, "true");
    clusters.startConnector(
        "encrypt-" + topic,
        withTransform(
            source,
            "encrypt",
            EncryptField.Value.class,
            FIELDS,
            registryUrl,
            Map.of(KekKeys.SUBJECT_CONFIG, TEMPLATE)));
    rawRecords(clusters.connectCluster(), "encrypt-" + topic, topic, COUNT);

    Path config = dir.resolve("store.properties");
    Files.writeString(
        config, "schema.registry.url=" + registryUrl + "\nencrypt.kek.name=" + KEK_NAME + "\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        DekAdmin.run(
            new String[] {"--config", config.toString(), "forget", "customer-0", "--json"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("\"subject\":\"customer-0\"")
        .contains("\"versions\":[1]")
        // Record-data subjects get entity keys: the customer's key lived under <kek>-entities.
        .contains("\"kekName\":\"" + KEK_NAME + "-entities\"");

    String collector = "decrypt-" + topic;
    clusters.startConnector(
        collector,
        withTransform(
            sinkConfig(topic, collector),
            "decrypt",
            DecryptField.Value.class,
            FIELDS,
            registryUrl,
            Map.of(KekKeys.SUBJECT_CONFIG, TEMPLATE, "decrypt.on.forgotten", "null")));
    List<SinkRecord> received =
        awaitSinkRecords(clusters.connectCluster(), collector, collector, COUNT);

    assertThat(received).hasSize(COUNT);
    int forgotten = 0;
    for (SinkRecord record : received) {
      Struct value = (Struct) record.value();
      int id = (int) value.getInt64("id").longValue();
      Struct expected = CustomerRecords.valueWithCustomerId(id);
      if (value.getInt64("customer_id") == 0L) {
        forgotten++;
        assertThat(value.get("email")).isNull();
        assertThat(value.get("card")).isNull();
        assertThat(value.getStruct("customer").get("email")).isNull();
        assertThat(value.get("ssn")).isEqualTo(expected.get("ssn"));
        assertThat(value.getStruct("customer").get("tier"))
            .isEqualTo(expected.getStruct("customer").get("tier"));
      } else {
        assertThat(value.getString("email")).isEqualTo(expected.getString("email"));
        assertThat(value.getBytes("card")).isEqualTo(expected.getBytes("card"));
        assertThat(value.getStruct("customer").getString("email"))
            .isEqualTo(expected.getStruct("customer").getString("email"));
      }
    }
    assertThat(forgotten).isEqualTo(COUNT / CustomerRecords.DISTINCT_KEYS);
  }
}
