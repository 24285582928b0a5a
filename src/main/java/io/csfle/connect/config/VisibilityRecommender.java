package io.csfle.connect.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Hides keys that do not apply in UIs that render a {@link ConfigDef}: it only sets {@code visible}
 * in {@code config/validate} answers, offers no list of values and never refuses one. When the key
 * that decides is empty or has a value no rule knows, every key is shown (its own error, if any,
 * says what to fix).
 */
final class VisibilityRecommender implements ConfigDef.Recommender {
  private final BiPredicate<String, Map<String, Object>> visible;

  private VisibilityRecommender(BiPredicate<String, Map<String, Object>> visible) {
    this.visible = visible;
  }

  /** Shows a store's keys only when {@code dek.store} names {@code store}. */
  static VisibilityRecommender forStore(String store) {
    Set<String> stores = Set.of(DekStoreKeys.STORE_REGISTRY, DekStoreKeys.STORE_KAFKA);
    return new VisibilityRecommender(
        (name, parsed) -> {
          String chosen = lowerCase(parsed.get(DekStoreKeys.STORE_CONFIG));
          return !stores.contains(chosen) || store.equals(chosen);
        });
  }

  /**
   * Shows a {@code kms.*} key only when {@code encrypt.kms.type} is one of the types reading it.
   */
  static VisibilityRecommender forKmsTypes(Map<String, Set<String>> typesByKey) {
    Map<String, Set<String>> types = Map.copyOf(typesByKey);
    Set<String> known = new HashSet<>();
    types.values().forEach(known::addAll);
    return new VisibilityRecommender(
        (name, parsed) -> {
          String chosen = lowerCase(parsed.get(KekKeys.KMS_TYPE_CONFIG));
          return !known.contains(chosen) || types.getOrDefault(name, known).contains(chosen);
        });
  }

  private static String lowerCase(Object value) {
    return value == null ? "" : value.toString().trim().toLowerCase(Locale.ROOT);
  }

  @Override
  public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
    return new ArrayList<>(); // ConfigDef may filter this list in place
  }

  @Override
  public boolean visible(String name, Map<String, Object> parsedConfig) {
    return visible.test(name, parsedConfig);
  }
}
