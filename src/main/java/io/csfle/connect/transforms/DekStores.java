package io.csfle.connect.transforms;

import io.csfle.connect.registry.DekRegistry;
import io.csfle.connect.registry.RegistryClientConfig;
import io.csfle.connect.registry.RegistryException;
import io.csfle.connect.registry.RestDekRegistry;
import io.csfle.connect.registry.kafka.KafkaDekStore;
import io.csfle.connect.registry.kafka.KafkaDekStoreConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one place that turns {@code dek.store} into a {@link DekRegistry}: the REST client for a
 * registry server, or the embedded store on a Kafka topic (shared by every transform of this JVM
 * that names the same topic and client settings).
 */
final class DekStores {
  private DekStores() {}

  static DekRegistry open(CsfleConfig config) {
    return open(kafkaStoreOf(config), registryOf(config));
  }

  /** The embedded store's settings when {@code dek.store=kafka}, else null. */
  static KafkaDekStoreConfig kafkaStoreOf(CsfleConfig config) {
    return DekStoreConfig.usesKafka(config) ? DekStoreConfig.kafkaStoreConfig(config) : null;
  }

  /** The REST client's settings when {@code dek.store=registry}, else null. */
  static RegistryClientConfig registryOf(CsfleConfig config) {
    if (DekStoreConfig.usesKafka(config)) {
      return null;
    }
    String url = RegistryConnectionConfig.urls(config);
    if (url == null || url.isBlank()) {
      throw new ConfigException(
          RegistryConnectionConfig.REGISTRY_URL_CONFIG,
          null,
          "required when "
              + DekStoreConfig.STORE_CONFIG
              + "="
              + DekStoreConfig.STORE_REGISTRY
              + " (the default); or set "
              + DekStoreConfig.STORE_CONFIG
              + "="
              + DekStoreConfig.STORE_KAFKA);
    }
    return config.registryClientConfig();
  }

  /** Opens the embedded store when {@code kafkaStore} is set, else the REST client. */
  static DekRegistry open(KafkaDekStoreConfig kafkaStore, RegistryClientConfig registry) {
    if (kafkaStore == null) {
      return new RestDekRegistry(registry);
    }
    try {
      return KafkaDekStore.open(kafkaStore);
    } catch (RegistryException e) {
      // The clients could not even be built: a bad address or bad client settings.
      throw new ConfigException(
          "Cannot create the key topic clients for "
              + DekStoreConfig.BOOTSTRAP_CONFIG
              + " and "
              + DekStoreConfig.CLIENT_PREFIX
              + "*: "
              + e.getMessage());
    }
  }
}
