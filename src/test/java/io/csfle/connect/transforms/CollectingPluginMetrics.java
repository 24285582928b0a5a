package io.csfle.connect.transforms;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;

/**
 * Collects the gauges a transform, a task or a connector registers, as Connect's plugin metrics
 * would.
 */
public final class CollectingPluginMetrics implements PluginMetrics {
  public final Map<String, MetricValueProvider<?>> metrics = new HashMap<>();

  @Override
  public MetricName metricName(String name, String doc, LinkedHashMap<String, String> tags) {
    return new MetricName(name, "plugins", doc, tags);
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
    throw new UnsupportedOperationException("gauges only");
  }

  @Override
  public void removeSensor(String name) {}

  /** The current value of the gauge registered as {@code name}. */
  public Object value(String name) {
    return ((Gauge<?>) metrics.get(name)).value(null, 0L);
  }
}
