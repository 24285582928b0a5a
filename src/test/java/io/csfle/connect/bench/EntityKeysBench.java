package io.csfle.connect.bench;

import io.csfle.connect.admin.DekAdmin;
import io.csfle.connect.admin.ForgetTiming;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.dek.EntityKeys;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.kafka.KafkaDekStore;
import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import io.csfle.connect.store.kafka.KeyTopicBulkWriter;
import io.csfle.connect.transforms.CollectingPluginMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Per-entity keys at scale against the Kafka DEK store on an in-JVM broker, with {@code local-kms}
 * (see docs/performance.md, "Entity keys"). Not a test: {@code scripts/bench entities [--entities
 * N] [--new N] [--records N] [--working-set N] [--cold-records N] [--heap-keys N] [--rounds N]
 * [--fetch-max-wait-ms N] [--heap-only 1]}.
 *
 * <p>Measures {@code EncryptField$Value} on a customer Struct keyed by its id (three encrypted
 * strings) with per-topic keys and with entity keys ({@code dek.subject=customer-${key}}): every
 * record a new entity; a working set of entities repeating (cached); and the whole store's entities
 * each seen once by a fresh transform (beyond the cache: a store read each). Then the KMS and store
 * calls of new entities, the heap of a cached entity key, the reader's start on the key topic and
 * the key tool's {@code forget} of one entity in it.
 */
public final class EntityKeysBench {
  static final String TOPIC = "customers";
  static final String KEK = "bench_kek";
  static final String SECRET = "entity-keys-benchmark-local-kms-secret";
  static final String PARENT = TOPIC + "-entities";
  static final String KEY_TOPIC = "_csfle_keys_bench";

  private final Map<String, Long> options;
  private final EntityBenchTable table = new EntityBenchTable();
  private final Struct[] values = new Struct[16];
  private EmbeddedKafkaCluster kafka;

  private EntityKeysBench(Map<String, Long> options) {
    this.options = options;
    for (int i = 0; i < values.length; i++) {
      values[i] = FieldEncryptionBenchmark.customer(i);
    }
  }

  public static void main(String[] args) throws Exception {
    Configurator.setLevel("io.csfle.connect", org.apache.logging.log4j.Level.WARN);
    Configurator.setLevel("org.apache.kafka", org.apache.logging.log4j.Level.WARN);
    Configurator.setLevel("kafka", org.apache.logging.log4j.Level.WARN);
    Map<String, Long> options = EntityBenchOptions.parse(args);
    System.out.println("options: " + options);
    new EntityKeysBench(options).run();
    System.exit(0);
  }

  private long option(String name) {
    return options.get(name);
  }

  private void run() throws Exception {
    heap(DekAlgorithm.AES256_GCM);
    heap(DekAlgorithm.AES256_SIV);
    if (option("heap-only") == 0) {
      withBroker();
    }
    String markdown = table.markdown();
    System.out.println();
    System.out.print(markdown);
    Path out = Path.of("target", "entity-bench", "summary.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, "options: " + options + "\n\n" + markdown);
    System.out.println("\nwritten to " + out);
  }

  private void withBroker() throws Exception {
    Map<String, String> broker = new HashMap<>();
    broker.put("auto.create.topics.enable", "false");
    kafka = new EmbeddedKafkaCluster(1, props(broker));
    kafka.start();
    try {
      throughputAndCalls();
      startAndForget();
    } finally {
      kafka.stop();
    }
  }

  private static Properties props(Map<String, String> map) {
    Properties properties = new Properties();
    properties.putAll(map);
    return properties;
  }

  private void heap(DekAlgorithm algorithm) {
    int keys = (int) option("heap-keys");
    // On a fresh thread: values that ciphers leave in a thread's thread-locals die with it, so
    // one measurement's leftovers are not freed during the next and subtracted from it.
    EntityKeyHeap.Retained[] result = new EntityKeyHeap.Retained[1];
    Thread thread =
        new Thread(() -> result[0] = EntityKeyHeap.measure(algorithm, keys, kekSettings()), "heap");
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    EntityKeyHeap.Retained retained = result[0];
    table.heapPerKey(
        "heap per cached entity key, writer (EncryptField), " + algorithm,
        retained.writerBytes(),
        keys);
    table.heapPerKey(
        "heap per cached entity key, reader (DecryptField), " + algorithm,
        retained.readerBytes(),
        keys);
    progress("heap " + algorithm + ": " + retained);
  }

  private void throughputAndCalls() throws Exception {
    long records = option("records");
    long newEntities = option("new");
    long workingSet = option("working-set");
    CollectingPluginMetrics topicMetrics = new CollectingPluginMetrics();
    CollectingPluginMetrics entityMetrics = new CollectingPluginMetrics();
    try (BenchTransform perTopic = new BenchTransform(config(false), topicMetrics, values);
        BenchTransform entity = new BenchTransform(config(true), entityMetrics, values)) {
      progress("per-topic warm-up");
      perTopic.run(r -> r, records / 2);

      progress("entity keys, " + newEntities + " new entities (each a create on the key topic)");
      long kmsBefore = kmsCalls(entityMetrics);
      long nanos = entity.run(r -> r, newEntities);
      long newKms = kmsCalls(entityMetrics) - kmsBefore;
      table.throughput(
          "`EncryptField$Value`, entity keys, every record a new entity",
          newEntities,
          nanos,
          "KMS calls " + newKms);
      table.callsPerMillion(
          "KMS calls of the transform creating new entities", newKms, newEntities);

      bulkFill(newEntities);
      progress("working set warm-up: " + workingSet + " entities");
      entity.run(r -> r % workingSet, workingSet); // first sights of those not created above
      for (int round = 1; round <= option("rounds"); round++) {
        long topicNanos = perTopic.run(r -> r, records);
        long kms = kmsCalls(entityMetrics);
        long setNanos = entity.run(r -> r % workingSet, records);
        table.throughput(
            "`EncryptField$Value`, per-topic keys (round " + round + ")", records, topicNanos, "");
        table.throughput(
            "`EncryptField$Value`, entity keys, "
                + String.format(Locale.ROOT, "%,d", workingSet)
                + " entities repeating (round "
                + round
                + ")",
            records,
            setNanos,
            "KMS calls " + (kmsCalls(entityMetrics) - kms));
      }
    }
    beyondTheCache();
  }

  /**
   * Entities {@code from} to {@code --entities} made by {@link EntityKeys}, appended in batches.
   */
  private void bulkFill(long from) {
    long entities = option("entities");
    if (from >= entities) {
      return;
    }
    progress("bulk fill of entities " + from + " to " + entities);
    LongAdder kms = new LongAdder();
    KekProviders providers =
        KekProviders.of(new LocalKekProvider(name -> null))
            .withListener((type, operation, nanos, failure) -> kms.increment());
    long started = System.nanoTime();
    try (KafkaDekStore store = KafkaDekStore.open(storeConfig("bulk"));
        KeyTopicBulkWriter writer = new KeyTopicBulkWriter(kafka.bootstrapServers(), KEY_TOPIC)) {
      CountingDekStore counted = new CountingDekStore(new BulkEntityFill(store, writer, PARENT));
      try (EncryptionKeys ordinary =
              new EncryptionKeys(
                  counted,
                  providers,
                  kekSettings(),
                  DekAlgorithm.AES256_GCM,
                  0,
                  System::currentTimeMillis);
          EntityKeys keys =
              new EntityKeys(
                  counted,
                  providers,
                  kekSettings(),
                  DekAlgorithm.AES256_GCM,
                  0,
                  System::currentTimeMillis,
                  1)) {
        for (long id = from; id < entities; id++) {
          keys.forEntity(PARENT, "customer-" + id, ordinary::forSubject);
        }
      }
      long made = entities - from;
      table.callsPerMillion(
          "KMS calls of `EntityKeys` creating new entities (bulk fill)", kms.sum(), made);
      table.callsPerMillion(
          "DEK store reads of `EntityKeys` creating new entities (bulk fill)",
          counted.reads.sum(),
          made);
      table.callsPerMillion(
          "DEK store creates of `EntityKeys` creating new entities (bulk fill)",
          counted.creates.sum(),
          made);
    }
    table.millis(
        "bulk fill of the key topic (`EntityKeys` + batched producer, not the store's create)",
        String.format(Locale.ROOT, "%,d entity keys", entities - from),
        System.nanoTime() - started);
  }

  /** A fresh transform sees entities spread over the whole store once each: a store read each. */
  private void beyondTheCache() throws Exception {
    long entities = option("entities");
    long records = Math.min(option("cold-records"), entities);
    CollectingPluginMetrics metrics = new CollectingPluginMetrics();
    try (BenchTransform cold = new BenchTransform(config(true), metrics, values)) {
      cold.run(r -> entities - 1, 1); // the shared reader reads what the bulk fill appended
      progress("beyond the cache: " + records + " records over " + entities + " entities");
      long nanos = cold.run(r -> (r * 2_654_435_761L) % entities, records);
      table.throughput(
          "`EncryptField$Value`, entity keys, "
              + String.format(Locale.ROOT, "%,d", entities)
              + " stored entities each seen once (not cached: one store read each)",
          records,
          nanos,
          "KMS calls " + kmsCalls(metrics));
    }
  }

  private void startAndForget() throws IOException {
    long entities = option("entities");
    String label = String.format(Locale.ROOT, "key topic of %,d entity keys", entities);
    try (KafkaDekStore store = KafkaDekStore.open(storeConfig("start"))) {
      long started = System.nanoTime();
      store.getKek(KEK, false).orElseThrow();
      table.millis(
          "DEK store reader start (reads and indexes the key topic)",
          label,
          System.nanoTime() - started);
      String subject = "customer-" + (entities / 2);
      long nanos = ForgetTiming.forget(store, KEK, subject);
      if (store
          .getDek(
              new DekSubject(KEK + EntityKeys.KEK_SUFFIX, subject, DekAlgorithm.AES256_GCM),
              1,
              true)
          .isPresent()) {
        throw new IllegalStateException(subject + " was not forgotten");
      }
      table.millis("`forget` of one entity on a started store", label, nanos);
    }
    Path config = Files.createTempFile("entity-bench", ".properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "dek.store=kafka",
            "dek.store.bootstrap.servers=" + kafka.bootstrapServers(),
            "dek.store.topic=" + KEY_TOPIC,
            "dek.store.client.metadata.max.age.ms=299000",
            "encrypt.kek.name=" + KEK,
            ""));
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    long started = System.nanoTime();
    int status =
        DekAdmin.run(
            new String[] {"--config", config.toString(), "forget", "customer-" + (entities / 3)},
            discard,
            System.err);
    long nanos = System.nanoTime() - started;
    Files.delete(config);
    if (status != 0) {
      throw new IllegalStateException("csfle-dek-admin forget exited with " + status);
    }
    table.millis(
        "`csfle-dek-admin forget` of one entity (opens the store: start + forget)", label, nanos);
  }

  private Map<String, String> config(boolean entityKeys) {
    Map<String, String> config = new HashMap<>();
    config.put("fields", "email,phone,ssn");
    config.put("dek.store", "kafka");
    config.put("dek.store.bootstrap.servers", kafka.bootstrapServers());
    config.put("dek.store.topic", KEY_TOPIC);
    config.put("encrypt.kek.name", KEK);
    config.put("encrypt.kms.type", "local-kms");
    config.put("encrypt.kms.key.id", KEK);
    config.put("kms.secret", SECRET);
    if (entityKeys) {
      config.put("dek.subject", "customer-${key}");
    }
    if (option("fetch-max-wait-ms") >= 0) {
      // The key topic reader's consumer; its default (500 ms) delays each catch-up after a miss.
      config.put("dek.store.client.fetch.max.wait.ms", Long.toString(option("fetch-max-wait-ms")));
    }
    return config;
  }

  private KafkaDekStoreConfig storeConfig(String tag) {
    // A distinct harmless client setting gives the store a reader of its own.
    String tagValue = Integer.toString(300_000 + Math.floorMod(tag.hashCode(), 100_000));
    return new KafkaDekStoreConfig(
        kafka.bootstrapServers(),
        KEY_TOPIC,
        1,
        (short) 1,
        null,
        Map.of("metadata.max.age.ms", tagValue),
        Duration.ofSeconds(60));
  }

  static KekSettings kekSettings() {
    return new KekSettings(KEK, "local-kms", KEK, Map.of("secret", SECRET));
  }

  private static long kmsCalls(CollectingPluginMetrics metrics) {
    return ((Number) metrics.value("kms-calls-total")).longValue();
  }

  static void progress(String message) {
    System.out.printf("[%tT] %s%n", System.currentTimeMillis(), message);
  }
}
