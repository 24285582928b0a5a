package io.csfle.connect.config;

import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.kafka.KafkaDekStore;
import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import io.csfle.connect.store.rest.RegistryClientConfig;
import io.csfle.connect.store.rest.RestDekStore;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one place that turns {@code dek.store} into a {@link DekStore}: the REST client for a
 * registry server, or the embedded store on a Kafka topic (shared by every transform of this JVM
 * that names the same topic and client settings).
 */
final class DekStores {
  private DekStores() {}

  /** The embedded store's settings when {@code dek.store=kafka}, else null. */
  static KafkaDekStoreConfig kafkaStoreOf(AbstractConfig config) {
    return DekStoreKeys.usesKafka(config) ? DekStoreKeys.kafkaStoreConfig(config) : null;
  }

  /** The REST client's settings when {@code dek.store=registry}, else null. */
  static RegistryClientConfig registryOf(AbstractConfig config) {
    if (DekStoreKeys.usesKafka(config)) {
      return null;
    }
    String url = RegistryKeys.urls(config);
    if (url == null || url.isBlank()) {
      throw new ConfigException(
          RegistryKeys.REGISTRY_URL_CONFIG,
          null,
          "required when "
              + DekStoreKeys.STORE_CONFIG
              + "="
              + DekStoreKeys.STORE_REGISTRY
              + " (the default); or set "
              + DekStoreKeys.STORE_CONFIG
              + "="
              + DekStoreKeys.STORE_KAFKA);
    }
    return RegistryKeys.clientConfig(config);
  }

  /** Opens the embedded store when {@code kafkaStore} is set, else the REST client. */
  static DekStoreAdmin open(KafkaDekStoreConfig kafkaStore, RegistryClientConfig registry) {
    if (kafkaStore == null) {
      return new RestDekStore(registry);
    }
    try {
      return KafkaDekStore.open(kafkaStore);
    } catch (DekStoreException e) {
      // The clients could not even be built: a bad address or bad client settings.
      throw new ConfigException(
          "Cannot create the key topic clients for "
              + DekStoreKeys.BOOTSTRAP_CONFIG
              + " and "
              + DekStoreKeys.CLIENT_PREFIX
              + "*: "
              + e.getMessage());
    }
  }
}
