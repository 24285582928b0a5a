package io.csfle.connect.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Recommender;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * One row of a key table: everything {@link ConfigDef#define} needs for one key except its group,
 * order and recommender, which the table supplies. A group declares its keys as a list of these and
 * defines them in one loop, so a key's name, type, default, validator and doc stand on one line.
 *
 * @param defaultValue {@link ConfigDef#NO_DEFAULT_VALUE} for a required key
 * @param validator null when any value of the type is accepted
 * @param displayName null for keys defined without a group (their name is shown)
 */
public record KeySpec(
    String name,
    Type type,
    Object defaultValue,
    Validator validator,
    Importance importance,
    String doc,
    Width width,
    String displayName) {

  /** A key with no validator, shown by its name. */
  public static KeySpec key(
      String name, Type type, Object defaultValue, Importance importance, String doc) {
    return new KeySpec(name, type, defaultValue, null, importance, doc, Width.NONE, null);
  }

  /** This key with {@code validator}. */
  public KeySpec validatedBy(Validator validator) {
    return new KeySpec(name, type, defaultValue, validator, importance, doc, width, displayName);
  }

  /** This key as UIs show it in its group. */
  public KeySpec shown(Width width, String displayName) {
    return new KeySpec(name, type, defaultValue, validator, importance, doc, width, displayName);
  }

  /**
   * Defines {@code keys} in {@code def} in list order, numbered from 1 in {@code group}. With a
   * null {@code group} they are defined as {@code ConfigDef}'s short {@code define} would (no
   * group, order -1, shown by name).
   *
   * @param recommender null for none; otherwise asked for every key of the table
   * @return {@code def}
   */
  public static ConfigDef defineAll(
      ConfigDef def, String group, List<KeySpec> keys, Recommender recommender) {
    for (int i = 0; i < keys.size(); i++) {
      keys.get(i).define(def, group, group == null ? -1 : i + 1, recommender);
    }
    return def;
  }

  /** Defines this key in {@code def} as the {@code order}th of {@code group}. */
  public ConfigDef define(ConfigDef def, String group, int order, Recommender recommender) {
    return def.define(
        name,
        type,
        defaultValue,
        validator,
        importance,
        doc,
        group,
        order,
        width,
        displayName == null ? name : displayName,
        recommender);
  }

  /** {@link #defineAll(ConfigDef, String, List, Recommender)} without a recommender. */
  public static ConfigDef defineAll(ConfigDef def, String group, List<KeySpec> keys) {
    return defineAll(def, group, keys, null);
  }
}
