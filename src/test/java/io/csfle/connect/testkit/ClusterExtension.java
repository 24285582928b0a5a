package io.csfle.connect.testkit;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The test clusters of the integration tests, started before a class's tests and stopped after
 * them: a one-broker Kafka cluster, or a Kafka + Connect cluster, optionally with the in-process
 * DEK registry server. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterExtension clusters = ClusterExtension.connect("csfle-x").withRegistry();
 * }</pre>
 *
 * <p>Settings every test shares are here once: one partition per internal topic and no group
 * rebalance delay (less to create and wait for on a 2-core machine), {@code service_load} plugin
 * discovery (every plugin here ships service manifests, which skips a ~6 s classpath scan).
 */
public final class ClusterExtension
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final String name;
  private final boolean withConnect;
  private final Map<String, String> worker = new HashMap<>();
  private final Properties broker = new Properties();
  private int workers = 1;
  private boolean withRegistry;

  private EmbeddedConnectCluster connect;
  private EmbeddedKafkaCluster kafka;
  private InMemoryDekRegistryServer registry;
  private final List<String> startedConnectors = new ArrayList<>();

  private ClusterExtension(String name, boolean withConnect) {
    this.name = name;
    this.withConnect = withConnect;
    broker.put("group.initial.rebalance.delay.ms", "0");
    broker.put("offsets.topic.num.partitions", "1");
    worker.put("offset.flush.interval.ms", "1000");
    worker.put("plugin.discovery", "service_load");
    worker.put("offset.storage.partitions", "1");
    worker.put("status.storage.partitions", "1");
  }

  /** A Kafka + Connect cluster named {@code name}, one broker and (by default) one worker. */
  public static ClusterExtension connect(String name) {
    return new ClusterExtension(name, true);
  }

  /** One Kafka broker, no Connect worker. */
  public static ClusterExtension kafkaOnly() {
    return new ClusterExtension("kafka", false);
  }

  public ClusterExtension workers(int count) {
    this.workers = count;
    return this;
  }

  /** Sets a worker property, replacing a default. */
  public ClusterExtension worker(String key, String value) {
    worker.put(key, value);
    return this;
  }

  /** Sets a broker property, replacing a default. */
  public ClusterExtension broker(String key, String value) {
    broker.put(key, value);
    return this;
  }

  /**
   * Exactly-once source support on the workers, and the broker settings it needs: without the
   * transaction log settings a one-broker cluster waits forever for its transactions.
   */
  public ClusterExtension exactlyOnce() {
    worker.put("exactly.once.source.support", "enabled");
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    broker.put("transaction.state.log.num.partitions", "3");
    return this;
  }

  /** Also starts the in-process DEK registry server (Confluent's mode). */
  public ClusterExtension withRegistry() {
    this.withRegistry = true;
    return this;
  }

  /**
   * Starts what was asked within {@link #START_TIMEOUT}: a cluster that hangs while starting fails
   * the class rather than holding the test fork until its own timeout.
   */
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    FutureTask<Void> start =
        new FutureTask<>(
            () -> {
              start();
              return null;
            });
    Thread starter = new Thread(start, "cluster-start-" + name);
    starter.setDaemon(true);
    starter.start();
    try {
      start.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "The test cluster '" + name + "' did not start within " + START_TIMEOUT, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private void start() throws InterruptedException {
    if (withRegistry) {
      registry = InMemoryDekRegistryServer.start(InMemoryDekRegistryServer.Mode.CONFLUENT);
    }
    if (!withConnect) {
      kafka = new EmbeddedKafkaCluster(1, broker);
      kafka.start();
      return;
    }
    connect =
        new EmbeddedConnectCluster.Builder()
            .name(name)
            .numWorkers(workers)
            .numBrokers(1)
            .workerProps(worker)
            .brokerProps(broker)
            .build();
    connect.start();
    connect.assertions().assertAtLeastNumWorkersAreUp(workers, "Connect workers did not start");
    kafka = connect.kafka();
  }

  /**
   * Creates connector {@code name} and waits until it and its one task run; it is deleted after the
   * test that started it.
   */
  public void startConnector(String name, Map<String, String> config) throws InterruptedException {
    startedConnectors.add(name);
    connectCluster().configureConnector(name, config);
    connectCluster()
        .assertions()
        .assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector " + name + " not running");
  }

  /** Deletes the connectors the test started, so the next test starts on an idle worker. */
  @Override
  public void afterEach(ExtensionContext context) {
    if (connect != null) {
      startedConnectors.forEach(connect::deleteConnector);
    }
    startedConnectors.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (connect != null) {
        connect.stop();
      } else if (kafka != null) {
        kafka.stop();
      }
    } finally {
      connect = null;
      kafka = null;
      if (registry != null) {
        registry.close();
        registry = null;
      }
    }
  }

  /** The Connect cluster; only for {@link #connect(String)}. */
  public EmbeddedConnectCluster connectCluster() {
    if (connect == null) {
      throw new IllegalStateException("no Connect cluster is running");
    }
    return connect;
  }

  /** The Kafka cluster (the Connect cluster's own, for {@link #connect(String)}). */
  public EmbeddedKafkaCluster kafka() {
    if (kafka == null) {
      throw new IllegalStateException("no Kafka cluster is running");
    }
    return kafka;
  }

  /** The DEK registry server; only with {@link #withRegistry()}. */
  public InMemoryDekRegistryServer registry() {
    if (registry == null) {
      throw new IllegalStateException("no DEK registry server is running");
    }
    return registry;
  }
}
