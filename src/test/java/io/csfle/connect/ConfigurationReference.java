package io.csfle.connect;

import io.csfle.connect.config.DekStoreSettings;
import io.csfle.connect.config.FieldCryptoConfig;
import io.csfle.connect.reencrypt.ReencryptSourceConfig;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.DecryptHeaders;
import io.csfle.connect.transforms.EncryptField;
import io.csfle.connect.transforms.EncryptHeaders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.types.Password;

/**
 * Renders {@code docs/configuration-reference.md} from the code's {@link ConfigDef}s: the shared
 * key groups once, then each component's keys that differ from them. {@link
 * ConfigurationReferenceTest} fails when the committed file differs, and rewrites it when run with
 * {@code -Dconfig.reference.write=true}.
 */
final class ConfigurationReference {
  static final Path FILE = Path.of("docs/configuration-reference.md");
  static final String REGENERATE =
      "mvn -B -ntp -q test-compile surefire:test -Dtest=ConfigurationReferenceTest"
          + " -Dconfig.reference.write=true";

  private ConfigurationReference() {}

  static String render() {
    ConfigDef shared = FieldCryptoConfig.definition();
    StringBuilder md = new StringBuilder();
    md.append("# Configuration reference\n\n")
        .append("<!-- Generated from the code's ConfigDefs: do not edit by hand. Regenerate with\n")
        .append("     ")
        .append(REGENERATE)
        .append("\n     (ConfigurationReferenceTest fails while this file is stale). -->\n\n")
        .append("Every key of every component, as `config/validate` knows it. The transforms,")
        .append(" the re-encryption connector and the key tool share the key groups of the next")
        .append(" section; each component's own section lists only what it adds or changes.")
        .append(" Keys of a KMS type other than `encrypt.kms.type`, and of the DEK store")
        .append(" `dek.store` does not name, are hidden in UIs that render a `ConfigDef`.\n\n")
        .append("## Shared keys\n\n");
    byGroup(new ArrayList<>(shared.configKeys().values()))
        .forEach((group, keys) -> table(md, "### " + group, keys));
    component(md, "EncryptField", EncryptField.OVERVIEW_DOC, EncryptField.CONFIG_DEF, shared);
    component(md, "DecryptField", DecryptField.OVERVIEW_DOC, DecryptField.CONFIG_DEF, shared);
    component(md, "EncryptHeaders", EncryptHeaders.OVERVIEW_DOC, EncryptHeaders.CONFIG_DEF, shared);
    component(md, "DecryptHeaders", DecryptHeaders.OVERVIEW_DOC, DecryptHeaders.CONFIG_DEF, shared);
    component(
        md,
        "ReencryptSourceConnector",
        "The bulk re-encryption source connector (`io.csfle.connect.reencrypt."
            + "ReencryptSourceConnector`). Its source side overrides shared keys under `source.`;"
            + " `source.kms.*` replaces every `kms.*` key for the source KEK when any is set.",
        ReencryptSourceConfig.CONFIG_DEF,
        shared);
    component(
        md,
        "csfle-dek-admin",
        "The key operators' command-line tool, configured with a properties file of the"
            + " transforms' own keys.",
        DekStoreSettings.definition(),
        shared);
    return md.toString();
  }

  private static void component(
      StringBuilder md, String name, String overview, ConfigDef def, ConfigDef shared) {
    md.append("## ").append(name).append("\n\n").append(overview).append("\n\n");
    List<String> missing = new ArrayList<>();
    shared.configKeys().keySet().stream()
        .filter(k -> !def.configKeys().containsKey(k))
        .forEach(missing::add);
    md.append(
        missing.isEmpty()
            ? "Takes every shared key.\n\n"
            : "Takes every shared key but " + String.join(", ", code(missing)) + ".\n\n");
    List<ConfigKey> own = new ArrayList<>();
    for (ConfigKey key : def.configKeys().values()) {
      if (!key.internalConfig && !sameAsShared(key, shared.configKeys().get(key.name))) {
        own.add(key);
      }
    }
    byGroup(own).forEach((group, keys) -> table(md, "### " + name + ": " + group, keys));
  }

  private static boolean sameAsShared(ConfigKey key, ConfigKey sharedKey) {
    return sharedKey != null
        && key.type == sharedKey.type
        && key.importance == sharedKey.importance
        && Objects.equals(key.documentation, sharedKey.documentation)
        && Objects.equals(key.defaultValue, sharedKey.defaultValue);
  }

  private static Map<String, List<ConfigKey>> byGroup(List<ConfigKey> keys) {
    Map<String, List<ConfigKey>> groups = new LinkedHashMap<>();
    for (ConfigKey key : keys) {
      String group = key.group == null ? "Own or changed keys" : key.group;
      groups.computeIfAbsent(group, g -> new ArrayList<>()).add(key);
    }
    return groups;
  }

  private static void table(StringBuilder md, String heading, List<ConfigKey> keys) {
    md.append(heading)
        .append("\n\n")
        .append("| Key | Type | Default | Valid values | Importance | Description |\n")
        .append("| --- | --- | --- | --- | --- | --- |\n");
    for (ConfigKey key : keys) {
      md.append("| `")
          .append(key.name)
          .append("` | ")
          .append(key.type.name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ")
          .append(cell(defaultOf(key)))
          .append(" | ")
          .append(cell(key.validator == null ? "" : key.validator.toString()))
          .append(" | ")
          .append(key.importance.name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ")
          .append(cell(key.documentation))
          .append(" |\n");
    }
    md.append('\n');
  }

  private static String defaultOf(ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    Object value = key.defaultValue;
    if (value == null) {
      return "";
    }
    if (value instanceof Password) {
      return "[hidden]";
    }
    if (value instanceof Class<?> type) {
      return "`" + type.getName() + "`";
    }
    if (value instanceof List<?> list) {
      return list.isEmpty()
          ? "\"\""
          : "`" + String.join(",", list.stream().map(String::valueOf).toList()) + "`";
    }
    String text = value.toString();
    return text.isEmpty() ? "\"\"" : "`" + text + "`";
  }

  private static List<String> code(List<String> names) {
    return names.stream().map(n -> "`" + n + "`").toList();
  }

  /** A table cell: pipes escaped, one line. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
