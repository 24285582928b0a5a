package io.csfle.connect.transforms;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;

/**
 * Collects the gauges a transform, a task or a connector registers, as Connect's plugin metrics
 * would; sensors live in a real {@link Metrics} registry, so their stats are computed as in a
 * worker. The tags given here stand for the connector, task and alias Connect adds.
 */
public final class CollectingPluginMetrics implements PluginMetrics {
  public final Map<String, MetricValueProvider<?>> metrics = new HashMap<>();
  private final Metrics registry = new Metrics();
  private final Map<String, String> tags;

  public CollectingPluginMetrics() {
    this(Map.of());
  }

  public CollectingPluginMetrics(Map<String, String> tags) {
    this.tags = tags;
  }

  @Override
  public MetricName metricName(String name, String doc, LinkedHashMap<String, String> tags) {
    LinkedHashMap<String, String> all = new LinkedHashMap<>(this.tags);
    all.putAll(tags);
    return new MetricName(name, "plugins", doc, all);
  }

  @Override
  public void addMetric(MetricName name, MetricValueProvider<?> provider) {
    metrics.put(name.name(), provider);
  }

  @Override
  public void removeMetric(MetricName name) {
    metrics.remove(name.name());
  }

  @Override
  public Sensor addSensor(String name) {
    return registry.sensor(name);
  }

  @Override
  public void removeSensor(String name) {
    registry.removeSensor(name);
  }

  /** The current value of the gauge or sensor stat registered as {@code name}. */
  public Object value(String name) {
    MetricValueProvider<?> gauge = metrics.get(name);
    if (gauge != null) {
      return ((Gauge<?>) gauge).value(null, 0L);
    }
    for (Map.Entry<MetricName, KafkaMetric> metric : registry.metrics().entrySet()) {
      if (metric.getKey().name().equals(name)) {
        return metric.getValue().metricValue();
      }
    }
    throw new IllegalArgumentException("no metric named " + name);
  }

  /** Whether a sensor named {@code name} is registered. */
  public boolean hasSensor(String name) {
    return registry.getSensor(name) != null;
  }
}
