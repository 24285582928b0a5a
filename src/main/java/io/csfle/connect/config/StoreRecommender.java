package io.csfle.connect.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Shows a store's keys in UIs that render a {@link ConfigDef} only when {@code dek.store} names
 * that store (the registry connection keys with {@code registry}, the {@code dek.store.*} keys with
 * {@code kafka}). An invalid {@code dek.store} shows both. It only affects visibility: any value is
 * accepted.
 */
final class StoreRecommender implements ConfigDef.Recommender {
  private final String store;

  StoreRecommender(String store) {
    this.store = store;
  }

  @Override
  public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
    return new ArrayList<>(); // no list of values to offer; and never a refusal
  }

  @Override
  public boolean visible(String name, Map<String, Object> parsedConfig) {
    Object value = parsedConfig.get(DekStoreKeys.STORE_CONFIG);
    String chosen = value == null ? "" : value.toString().trim();
    boolean known =
        chosen.equalsIgnoreCase(DekStoreKeys.STORE_REGISTRY)
            || chosen.equalsIgnoreCase(DekStoreKeys.STORE_KAFKA);
    return !known || store.equalsIgnoreCase(chosen);
  }
}
