package io.csfle.connect.config;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.MissingFieldPolicy;
import io.csfle.connect.store.DekStore;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The configuration every component that encrypts or decrypts fields reads: the key groups of this
 * package in one {@link ConfigDef}, and typed accessors over them. Every key is validated by its
 * {@code ConfigDef} entry so that Connect's {@code config/validate} reports a message per key.
 */
public class FieldCryptoConfig extends AbstractConfig {

  protected FieldCryptoConfig(ConfigDef definition, Map<?, ?> props) {
    super(definition, props);
  }

  /** A new copy of the shared definitions, group after group, for a component to extend. */
  public static ConfigDef definition() {
    return withKeyGroups(FieldKeys.appendTo(new ConfigDef()));
  }

  /**
   * Appends the shared groups but "Fields" (KEK, KMS credentials, registry, DEK store) to {@code
   * def}, after what it holds: the header transforms put their "Headers" group first.
   */
  public static ConfigDef withKeyGroups(ConfigDef def) {
    KekKeys.appendTo(def);
    KmsCredentialKeys.appendTo(def);
    RegistryKeys.appendTo(def);
    DekStoreKeys.appendTo(def);
    return def;
  }

  public List<FieldPath> fieldPaths() {
    return FieldKeys.fieldPaths(this);
  }

  public MissingFieldPolicy missingFieldPolicy() {
    return FieldKeys.missingFieldPolicy(this);
  }

  public DekAlgorithm algorithm() {
    return KekKeys.algorithm(this);
  }

  public int expiryDays() {
    return KekKeys.expiryDays(this);
  }

  public KekSettings kekSettings() {
    return KekKeys.kekSettings(this);
  }

  /** The subject template, defaulted per side as Confluent names subjects. */
  public SubjectTemplate subjectTemplate(boolean isKey) {
    return new SubjectTemplate(KekKeys.subjectTemplate(this, isKey));
  }

  /**
   * Opens the DEK store {@code dek.store} names; close it after use.
   *
   * @throws org.apache.kafka.common.config.ConfigException when the chosen store's address is
   *     missing or its clients cannot be built
   */
  public DekStore openDekStore() {
    return DekStores.open(DekStores.kafkaStoreOf(this), DekStores.registryOf(this));
  }
}
