package io.csfle.connect.admin;

import io.csfle.connect.config.KmsCredentialKeys;
import io.csfle.connect.store.RegisteredKek;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code update-kek} changes in a KEK: its {@code kmsProps}, {@code doc} and {@code shared},
 * the only fields a DEK registry lets change. The KMS key ({@code kmsType}, {@code kmsKeyId}) is
 * fixed for the life of a KEK: every DEK wrapped under it needs that key to unwrap.
 *
 * @param setProps kmsProps to add or replace
 * @param removedProps kmsProps to remove
 */
record KekChange(
    Map<String, String> setProps,
    Set<String> removedProps,
    Optional<String> doc,
    Optional<Boolean> shared) {

  static final KekChange NONE =
      new KekChange(Map.of(), Set.of(), Optional.empty(), Optional.empty());

  KekChange {
    setProps = Map.copyOf(setProps);
    removedProps = Set.copyOf(removedProps);
  }

  boolean isEmpty() {
    return setProps.isEmpty() && removedProps.isEmpty() && doc.isEmpty() && shared.isEmpty();
  }

  /** The KEK's kmsProps after this change, sorted by name. */
  Map<String, String> kmsPropsOf(RegisteredKek kek) {
    Map<String, String> props = new TreeMap<>(kek.kmsProps());
    props.keySet().removeAll(removedProps);
    props.putAll(setProps);
    return props;
  }

  /** Collects {@code update-kek}'s options while the command line is parsed. */
  static final class Builder {
    private final Map<String, String> setProps = new LinkedHashMap<>();
    private final Set<String> removedProps = new LinkedHashSet<>();
    private String doc;
    private Boolean shared;
    private boolean used;

    /** {@code --kms-prop KEY=VALUE}; a credential is refused. */
    void setProp(String assignment) {
      int eq = assignment.indexOf('=');
      String key = eq < 0 ? "" : assignment.substring(0, eq).trim();
      if (key.isEmpty()) {
        // The argument is not repeated: a mistyped one may hold a secret.
        throw new IllegalArgumentException("--kms-prop needs KEY=VALUE");
      }
      if (KmsCredentialKeys.isSecret(key)) {
        throw new IllegalArgumentException(
            "--kms-prop "
                + key
                + " refused: it looks like a credential, and a KEK's kmsProps are readable by"
                + " every client of the DEK store; put it in the clients' configuration as "
                + KmsCredentialKeys.PREFIX
                + key
                + " instead");
      }
      setProps.put(key, assignment.substring(eq + 1));
      used = true;
    }

    /** {@code --remove-kms-prop KEY}. */
    void removeProp(String key) {
      removedProps.add(key.trim());
      used = true;
    }

    /** {@code --doc TEXT}. */
    void doc(String text) {
      doc = text;
      used = true;
    }

    /** {@code --shared true|false}. */
    void shared(String value) {
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException("--shared must be true or false, got " + value);
      }
      shared = Boolean.valueOf(value);
      used = true;
    }

    boolean used() {
      return used;
    }

    KekChange build() {
      for (String key : removedProps) {
        if (setProps.containsKey(key)) {
          throw new IllegalArgumentException(
              "kmsProp " + key + " is both set (--kms-prop) and removed (--remove-kms-prop)");
        }
      }
      return new KekChange(
          setProps, removedProps, Optional.ofNullable(doc), Optional.ofNullable(shared));
    }
  }
}
