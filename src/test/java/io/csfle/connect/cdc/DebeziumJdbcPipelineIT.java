package io.csfle.connect.cdc;

import static io.csfle.connect.cdc.CustomerRows.customer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.cdc.CustomerRows.Customer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.RecordedRequest;
import io.csfle.connect.testkit.ClusterExtension;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CDC pipeline with real components end to end: PostgreSQL (embedded, logical decoding) →
 * Debezium's Postgres connector with {@code EncryptField$Value} on every PII column of {@code
 * before} and {@code after} → Kafka → Debezium's JDBC sink with {@code DecryptField$Value} →
 * another PostgreSQL database, upserting on the key and applying deletes. The connector configs are
 * the files in {@code config-examples/} that docs/pipelines.md shows.
 *
 * <p>After the initial snapshot and after each streaming phase (inserts; updates, one setting PII
 * columns to NULL; deletes with their tombstones) the target table must equal the source table row
 * by row, as PostgreSQL prints each value, and column by column in type and nullability (the sink
 * creates the table from the decrypted schemas). At the end no plaintext PII value may occur
 * anywhere in the broker's log directories, and the source must have created the subject's DEK
 * exactly once. The whole pipeline runs once with the REST DEK registry and once with the embedded
 * Kafka DEK store, in one Connect clusters.connectCluster().
 *
 * <p>One in-JVM cluster: Debezium 3.5 (built on Kafka 4.1), its Hibernate-based JDBC sink, and this
 * plugin share the test classpath without a clash, which is what a worker without plugin isolation
 * would see too, and it saves starting a broker and a worker as processes.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DebeziumJdbcPipelineIT {
  @RegisterExtension
  static final ClusterExtension clusters =
      ClusterExtension.connect("csfle-cdc")
          .worker("key.converter", JsonConverter.class.getName())
          .worker("value.converter", JsonConverter.class.getName());

  private static final String KEK = "shop_customers_pii";
  private static final String SECRET = "cdc-it-local-kms-secret";
  private static final long PHASE_TIMEOUT_MS = 90_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(DebeziumJdbcPipelineIT.class);

  private static CdcDatabases databases;

  @BeforeAll
  static void start() throws Exception {
    databases = CdcDatabases.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (databases != null) {
      databases.close();
    }
  }

  @Test
  void restRegistry_targetEqualsSourceAfterEveryPhase_noPlaintextInKafka() throws Exception {
    try (InMemoryDekRegistryServer registry =
        InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT)) {
      Map<String, String> store = new LinkedHashMap<>();
      store.put("schema.registry.url", registry.url());
      Run run = new Run("reg", store);

      run.all();

      List<RecordedRequest> creates =
          registry.requests().stream()
              .filter(r -> r.method().equals("POST") && r.path().contains("/deks"))
              .toList();
      assertThat(creates).as("DEK creations").hasSize(1);
      assertThat(creates.get(0).body()).contains("\"" + run.subject() + "\"");
      assertThat(
              registry.requests().stream()
                  .filter(r -> r.method().equals("POST") && !r.path().contains("/deks")))
          .as("KEK creations")
          .hasSize(1);
    }
  }

  @Test
  void kafkaDekStore_targetEqualsSourceAfterEveryPhase_noPlaintextInKafka() throws Exception {
    String keyTopic = "_csfle_keys_cdc";
    Map<String, String> store = new LinkedHashMap<>();
    store.put("schema.registry.url", null);
    store.put("dek.store", "kafka");
    store.put("dek.store.bootstrap.servers", clusters.connectCluster().kafka().bootstrapServers());
    store.put("dek.store.topic", keyTopic);
    store.put("dek.store.topic.replication.factor", "1");
    store.put("dek.store.topic.min.insync.replicas", "1");
    Run run = new Run("kst", store);

    run.all();

    // Every creation is a claim record (winner or loser) keyed by subject and version: one claim
    // for the subject means one DEK created, by one writer, and no race lost.
    int dekClaims = 0;
    int kekClaims = 0;
    for (ConsumerRecord<byte[], byte[]> r :
        clusters.connectCluster().kafka().consumeAll(30_000, keyTopic)) {
      JsonNode key = JSON.readTree(r.key());
      if (key.has("subject")) {
        assertThat(key.get("subject").asText()).isEqualTo(run.subject());
        assertThat(key.get("version").asInt()).isEqualTo(1);
        dekClaims += r.value() == null ? 0 : 1;
      } else {
        kekClaims += r.value() == null ? 0 : 1;
      }
    }
    assertThat(dekClaims).as("DEK records in the key topic").isEqualTo(1);
    assertThat(kekClaims).as("KEK records in the key topic").isEqualTo(1);
  }

  /** One pipeline: its own source and target databases, topic prefix, slot and connectors. */
  private static final class Run {
    private final String name;
    private final Map<String, String> store;
    private final String sourceDb;
    private final String targetDb;
    private final String topic;
    private final List<Customer> written = new ArrayList<>();

    Run(String name, Map<String, String> store) {
      this.name = name;
      this.store = store;
      this.sourceDb = "shop_" + name;
      this.targetDb = "warehouse_" + name;
      this.topic = "shop_" + name + ".public.customers";
    }

    String subject() {
      return topic + "-value";
    }

    void all() throws Exception {
      databases.createDatabase(sourceDb);
      databases.createDatabase(targetDb);
      databases.execute(sourceDb, CustomerRows.DDL);

      // Phase 1: rows that exist before the connector starts come from the initial snapshot.
      try (Connection db = databases.connect(sourceDb)) {
        insert(db, customer(1, 0));
        insert(db, customer(2, 0));
        insert(db, customer(3, 0).withoutContactDetails());
      }
      long started = System.currentTimeMillis();
      startConnectors();
      log.info("{}: connectors running after {} ms", name, elapsed(started));
      awaitTargetEqualsSource("snapshot");

      // Phase 2: streamed inserts.
      try (Connection db = databases.connect(sourceDb)) {
        insert(db, customer(4, 0));
        insert(db, customer(5, 0));
      }
      awaitTargetEqualsSource("inserts");

      // Phase 3: updates; one sets PII columns to NULL (an erasure of contact details).
      try (Connection db = databases.connect(sourceDb)) {
        update(db, customer(1, 1));
        update(db, customer(2, 1).withoutContactDetails());
        update(db, customer(5, 1));
      }
      awaitTargetEqualsSource("updates");

      // Phase 4: deletes, each followed by its tombstone.
      try (Connection db = databases.connect(sourceDb)) {
        CustomerRows.delete(db, 3);
        CustomerRows.delete(db, 4);
      }
      awaitTargetEqualsSource("deletes");
      assertDeletesAndTombstonesInTopic(2);

      started = System.currentTimeMillis();
      stopConnectors();
      log.info("{}: connectors deleted in {} ms", name, elapsed(started));
      started = System.currentTimeMillis();
      assertNoPlaintextInBrokerLogs();
      log.info("{}: broker logs scanned in {} ms", name, elapsed(started));
    }

    private void insert(Connection db, Customer c) throws Exception {
      CustomerRows.insert(db, c);
      written.add(c);
    }

    private void update(Connection db, Customer c) throws Exception {
      CustomerRows.update(db, c);
      written.add(c);
    }

    private String sourceName() {
      return "cdc-source-" + name;
    }

    private String sinkName() {
      return "cdc-sink-" + name;
    }

    private void startConnectors() throws InterruptedException {
      Map<String, String> source = new LinkedHashMap<>();
      source.put("database.hostname", "localhost");
      source.put("database.port", Integer.toString(databases.port()));
      source.put("database.user", CdcDatabases.USER);
      source.put("database.password", "trust-auth-needs-none");
      source.put("database.dbname", sourceDb);
      source.put("slot.name", "csfle_" + name);
      source.put("publication.name", "csfle_" + name);
      source.put("topic.prefix", "shop_" + name);
      source.put("transforms.encrypt.kms.secret", SECRET);
      store.forEach((k, v) -> source.put("transforms.encrypt." + k, v));
      Map<String, String> sourceConfig =
          PipelineConfigs.withLocal(PipelineConfigs.SOURCE, "encrypt", source);
      // The documented config encrypts exactly the PII columns, in both row images.
      List<String> piiPaths = new ArrayList<>();
      CustomerRows.PII_COLUMNS.forEach(c -> piiPaths.addAll(List.of("before." + c, "after." + c)));
      assertThat(sourceConfig.get("transforms.encrypt.fields").split(","))
          .containsExactlyInAnyOrderElementsOf(piiPaths);
      clusters.connectCluster().configureConnector(sourceName(), sourceConfig);

      Map<String, String> sink = new LinkedHashMap<>();
      sink.put("topics", topic);
      sink.put("connection.url", databases.jdbcUrl(targetDb));
      sink.put("connection.username", CdcDatabases.USER);
      sink.put("connection.password", "trust-auth-needs-none");
      sink.put("transforms.decrypt.kms.secret", SECRET);
      store.forEach((k, v) -> sink.put("transforms.decrypt." + k, v));
      clusters
          .connectCluster()
          .configureConnector(
              sinkName(), PipelineConfigs.withLocal(PipelineConfigs.SINK, "decrypt", sink));

      for (String connector : List.of(sourceName(), sinkName())) {
        clusters
            .connectCluster()
            .assertions()
            .assertConnectorAndExactlyNumTasksAreRunning(connector, 1, connector + " not running");
      }
    }

    private void stopConnectors() {
      clusters.connectCluster().deleteConnector(sourceName());
      clusters.connectCluster().deleteConnector(sinkName());
    }

    private void awaitTargetEqualsSource(String phase) throws Exception {
      long started = System.currentTimeMillis();
      long deadline = started + PHASE_TIMEOUT_MS;
      while (true) {
        failIfATaskFailed(phase);
        List<Map<String, String>> expected = databases.rows(sourceDb, CustomerRows.TABLE);
        List<Map<String, String>> actual = databases.rows(targetDb, CustomerRows.TABLE);
        if (expected.equals(actual) || System.currentTimeMillis() > deadline) {
          assertThat(actual).as("%s: target rows after %s", name, phase).isEqualTo(expected);
          log.info("{}: target equals source {} ms after {}", name, elapsed(started), phase);
          break;
        }
        Thread.sleep(250);
      }
      assertThat(databases.columnTypes(targetDb, CustomerRows.TABLE))
          .as("%s: target column types after %s", name, phase)
          .isEqualTo(databases.columnTypes(sourceDb, CustomerRows.TABLE));
    }

    private static long elapsed(long started) {
      return System.currentTimeMillis() - started;
    }

    private void failIfATaskFailed(String phase) {
      for (String connector : List.of(sourceName(), sinkName())) {
        try {
          ConnectorStateInfo status = clusters.connectCluster().connectorStatus(connector);
          status.tasks().stream()
              .filter(t -> "FAILED".equals(t.state()))
              .findFirst()
              .ifPresent(
                  t -> {
                    throw new AssertionError(
                        name + ": " + connector + " failed during " + phase + ": " + t.trace());
                  });
        } catch (ConnectRestException e) {
          // No status written yet.
        }
      }
    }

    /** Debezium writes a delete event ({@code op=d}) and then a tombstone for each delete. */
    private void assertDeletesAndTombstonesInTopic(int deletes) throws Exception {
      int deleteEvents = 0;
      int tombstones = 0;
      for (ConsumerRecord<byte[], byte[]> r :
          clusters.connectCluster().kafka().consumeAll(30_000, topic)) {
        if (r.value() == null) {
          tombstones++;
        } else if ("d".equals(JSON.readTree(r.value()).path("payload").path("op").asText())) {
          deleteEvents++;
        }
      }
      assertThat(deleteEvents).as("delete events").isEqualTo(deletes);
      assertThat(tombstones).as("tombstones").isEqualTo(deletes);
    }

    private void assertNoPlaintextInBrokerLogs() throws Exception {
      BrokerLogScan scan;
      try (Admin admin = clusters.connectCluster().kafka().createAdminClient()) {
        scan = BrokerLogScan.of(admin);
      }
      assertThat(scan.bytesOfTopic(topic)).as("bytes of %s on disk", topic).isPositive();
      // Positive control: a clear column's value is found, so the scan reads record bytes.
      assertThat(scan.filesContaining(written.get(0).clearNeedle()))
          .as("files with a clear value")
          .isNotEmpty();
      // Column defaults ride in the schemas: the clear column's is found, the encrypted one's not.
      assertThat(scan.filesContaining(CustomerRows.CLEAR_COLUMN_DEFAULT.getBytes(UTF_8)))
          .as("files with the clear column's default")
          .isNotEmpty();
      assertThat(scan.filesContaining(CustomerRows.ENCRYPTED_COLUMN_DEFAULT.getBytes(UTF_8)))
          .as("%s: files holding the encrypted column's default", name)
          .isEmpty();
      for (Customer c : written) {
        // Every PII column is searched for (keys only: a failure must not print values).
        assertThat(c.plaintextNeedles().keySet())
            .containsExactlyInAnyOrderElementsOf(CustomerRows.PII_COLUMNS);
        c.plaintextNeedles()
            .forEach(
                (column, forms) -> {
                  for (int form = 0; form < forms.size(); form++) {
                    // The message names the column and the encoding, never the value.
                    assertThat(scan.filesContaining(forms.get(form)))
                        .as(
                            "%s: files holding customer %d's %s (form %d)",
                            name, c.id(), column, form)
                        .isEmpty();
                  }
                });
      }
    }
  }
}
