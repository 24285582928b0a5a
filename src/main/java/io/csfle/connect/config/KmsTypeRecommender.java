package io.csfle.connect.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Shows a {@code kms.*} key in UIs that render a {@link ConfigDef} only when {@code
 * encrypt.kms.type} is one of the KMS types that read it, or is empty (an existing KEK used as
 * registered: its type is not known here) or a type no key names (its error says what to fix). It
 * only affects visibility: any value is accepted.
 */
final class KmsTypeRecommender implements ConfigDef.Recommender {
  private final Map<String, Set<String>> typesByKey;
  private final Set<String> knownTypes = new HashSet<>();

  KmsTypeRecommender(Map<String, Set<String>> typesByKey) {
    this.typesByKey = Map.copyOf(typesByKey);
    typesByKey.values().forEach(knownTypes::addAll);
  }

  @Override
  public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
    return new ArrayList<>(); // no list of values to offer; and never a refusal
  }

  @Override
  public boolean visible(String name, Map<String, Object> parsedConfig) {
    Object type = parsedConfig.get(KekKeys.KMS_TYPE_CONFIG);
    if (type == null || type.toString().isBlank()) {
      return true;
    }
    String chosen = type.toString().trim().toLowerCase(Locale.ROOT);
    Set<String> types = typesByKey.get(name);
    return types == null || !knownTypes.contains(chosen) || types.contains(chosen);
  }
}
