package io.csfle.connect.config;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.MissingFieldPolicy;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

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
    return appendOtherGroups(def);
  }

  /**
   * The shared definitions for a transform of the record's key ({@code keySide}) or value, whose
   * {@code dek.subject} must not read the fields it changes: {@code config/validate} reports it.
   */
  public static ConfigDef definition(boolean keySide) {
    ConfigDef def = new ConfigDef();
    FieldKeys.appendTo(def);
    KekKeys.appendTo(def, keySide);
    return appendOtherGroups(def);
  }

  private static ConfigDef appendOtherGroups(ConfigDef def) {
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

  /**
   * The subject template with its fallback, defaulted per side as Confluent names subjects, for a
   * component that encrypts or decrypts {@link #fieldPaths()} of the record's key ({@code isKey})
   * or value.
   *
   * @throws ConfigException when the template reads a field the component changes (the writer and
   *     the reader would render different subjects), or does not parse
   */
  public SubjectTemplate subjectTemplate(boolean isKey) {
    SubjectTemplate template = KekKeys.parsedSubjectTemplate(this, isKey);
    String conflict = template.conflictWith(fieldPaths(), isKey);
    if (conflict != null) {
      throw new ConfigException(KekKeys.SUBJECT_CONFIG, template.toString(), conflict);
    }
    return template;
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
