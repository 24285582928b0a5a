package io.csfle.connect.transforms;

import io.csfle.connect.registry.DekRegistry;
import io.csfle.connect.registry.RegistryException;
import io.csfle.connect.registry.RestDekRegistry;
import io.csfle.connect.registry.kafka.KafkaDekStore;
import org.apache.kafka.common.config.ConfigException;

/**
 * The one place that turns {@code dek.store} into a {@link DekRegistry}: the REST client for a
 * registry server, or the embedded store on a Kafka topic (shared by every transform of this JVM
 * that names the same topic and client settings).
 */
final class DekStores {
  private DekStores() {}

  static DekRegistry open(CsfleConfig config) {
    if (DekStoreConfig.usesKafka(config)) {
      try {
        return KafkaDekStore.open(DekStoreConfig.kafkaStoreConfig(config));
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
    String url = config.getString(RegistryConnectionConfig.REGISTRY_URL_CONFIG);
    if (url == null || url.isBlank()) {
      throw new ConfigException(
          RegistryConnectionConfig.REGISTRY_URL_CONFIG,
          url,
          "required when "
              + DekStoreConfig.STORE_CONFIG
              + "="
              + DekStoreConfig.STORE_REGISTRY
              + " (the default); or set "
              + DekStoreConfig.STORE_CONFIG
              + "="
              + DekStoreConfig.STORE_KAFKA);
    }
    return new RestDekRegistry(config.registryClientConfig());
  }
}
