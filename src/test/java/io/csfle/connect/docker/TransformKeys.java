package io.csfle.connect.docker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Checks the {@code transforms.*} part of a connector config the way a careful reader would: every
 * key belongs to a listed alias, names a key that alias's transformation defines, and the
 * transformation's own validators accept the values. Connect itself silently ignores undefined
 * keys, so a misspelt key (a secret that is never applied, say) would otherwise go unnoticed.
 */
final class TransformKeys {
  /** Keys Connect itself defines for every transform alias. */
  private static final Set<String> CONNECT_KEYS = Set.of("type", "predicate", "negate");

  private TransformKeys() {}

  /** Every problem found, one line each; empty when the transform part is sound. */
  static List<String> problems(Map<String, String> config) {
    List<String> problems = new ArrayList<>();
    List<String> aliases =
        Arrays.stream(config.getOrDefault("transforms", "").split(","))
            .map(String::trim)
            .filter(a -> !a.isEmpty())
            .toList();
    Set<String> claimed = new TreeSet<>();
    for (String alias : aliases) {
      String prefix = "transforms." + alias + ".";
      Map<String, String> own = new HashMap<>();
      config.forEach(
          (key, value) -> {
            if (key.startsWith(prefix)) {
              own.put(key.substring(prefix.length()), value);
              claimed.add(key);
            }
          });
      problems.addAll(checkAlias(prefix, own));
    }
    config.keySet().stream()
        .filter(k -> k.startsWith("transforms.") && !claimed.contains(k))
        .forEach(k -> problems.add(k + ": belongs to no alias listed in 'transforms'"));
    return problems;
  }

  private static List<String> checkAlias(String prefix, Map<String, String> own) {
    String type = own.get("type");
    if (type == null) {
      return List.of(prefix + "type: missing");
    }
    ConfigDef definition;
    try {
      definition = definitionOf(type);
    } catch (ReflectiveOperationException | ClassCastException e) {
      return List.of(prefix + "type: cannot load transformation " + type + ": " + e);
    }
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(own.keySet())) {
      if (!CONNECT_KEYS.contains(key) && !definition.names().contains(key)) {
        problems.add(prefix + key + ": not a key of " + type);
      }
    }
    Map<String, String> transformProps = new HashMap<>(own);
    CONNECT_KEYS.forEach(transformProps::remove);
    for (ConfigValue value : definition.validate(transformProps)) {
      value.errorMessages().forEach(m -> problems.add(prefix + value.name() + ": " + m));
    }
    return problems;
  }

  private static ConfigDef definitionOf(String type) throws ReflectiveOperationException {
    Class<?> transformClass = Class.forName(type);
    try (Transformation<?> transformation =
        (Transformation<?>) transformClass.getDeclaredConstructor().newInstance()) {
      return transformation.config();
    }
  }
}
