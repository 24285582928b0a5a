package io.csfle.connect.config;

import static io.csfle.connect.config.KeySpec.key;

import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldPathException;
import io.csfle.connect.field.MissingFieldPolicy;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** The "Fields" keys: which fields to process, and what a path the schema lacks means. */
public final class FieldKeys {
  public static final String FIELDS_CONFIG = "fields";
  public static final String MISSING_FIELD_CONFIG = "missing.field.behavior";

  static final String GROUP = "Fields";

  private static final List<KeySpec> KEYS =
      List.of(
          key(
                  FIELDS_CONFIG,
                  Type.LIST,
                  ConfigDef.NO_DEFAULT_VALUE,
                  Importance.HIGH,
                  "Comma-separated paths of the fields to process. A path is dotted into nested"
                      + " structs and maps (customer.email); name[*] steps into every element of an"
                      + " array or every value of a map (items[*].sku, tags[*], attrs[*]); a path"
                      + " ending at a struct, map or array processes it as one value. Write \\. for"
                      + " a dot that is part of a field name, \\[ and \\] for brackets, and"
                      + " \\\\ for"
                      + " a backslash.")
              .validatedBy(new FieldPathsValidator())
              .shown(Width.LONG, "Fields"),
          key(
                  MISSING_FIELD_CONFIG,
                  Type.STRING,
                  "fail",
                  Importance.MEDIUM,
                  "What to do when a path names a field that the record's schema does not have:"
                      + " 'fail' (the default, so that a typo never leaves a field in the clear) or"
                      + " 'skip'. A key missing from a schemaless map is always left alone.")
              .validatedBy(ConfigDef.CaseInsensitiveValidString.in("fail", "skip"))
              .shown(Width.SHORT, "Missing field"));

  private FieldKeys() {}

  /** Defines the keys in {@code def}, in the "Fields" group. */
  public static ConfigDef appendTo(ConfigDef def) {
    return KeySpec.defineAll(def, GROUP, KEYS);
  }

  /** The parsed {@code fields}. */
  public static List<FieldPath> fieldPaths(AbstractConfig config) {
    return FieldPath.parseAll(config.getList(FIELDS_CONFIG));
  }

  /** {@code missing.field.behavior}. */
  public static MissingFieldPolicy missingFieldPolicy(AbstractConfig config) {
    return "skip".equalsIgnoreCase(config.getString(MISSING_FIELD_CONFIG))
        ? MissingFieldPolicy.SKIP
        : MissingFieldPolicy.FAIL;
  }

  /** Rejects field lists that are empty or do not parse, with the parser's message. */
  private static final class FieldPathsValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> paths = (List<String>) value;
      if (paths == null || paths.isEmpty()) {
        throw new ConfigException(name, value, "at least one field path is required");
      }
      try {
        FieldPath.parseAll(paths);
      } catch (FieldPathException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "non-empty list of field paths";
    }
  }
}
