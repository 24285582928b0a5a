package io.csfle.connect.config;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.kafka.KafkaDekStoreConfig;
import io.csfle.connect.store.rest.RegistryClientConfig;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The transforms' DEK store and KEK keys without the field keys, for key-operator tools: the same
 * names, validators and defaults as {@code EncryptField}, so a tool reads the transform's own
 * settings. {@code fields} is not defined and {@code encrypt.kek.name} is optional.
 */
public final class DekStoreSettings {
  private final FieldCryptoConfig config;
  private final KafkaDekStoreConfig kafkaStore;
  private final RegistryClientConfig registry;

  private DekStoreSettings(FieldCryptoConfig config) {
    this.config = config;
    this.kafkaStore = DekStores.kafkaStoreOf(config);
    this.registry = DekStores.registryOf(config);
  }

  /**
   * Parses {@code props}; keys it does not define are ignored.
   *
   * @throws org.apache.kafka.common.config.ConfigException when a value is invalid or the chosen
   *     store's address is missing
   */
  public static DekStoreSettings parse(Map<String, ?> props) {
    return new DekStoreSettings(new FieldCryptoConfig(definition(), props));
  }

  /** The key tool's definitions: the shared groups without {@code fields}, the KEK optional. */
  public static ConfigDef definition() {
    ConfigDef def = new ConfigDef();
    for (ConfigDef.ConfigKey key : FieldCryptoConfig.definition().configKeys().values()) {
      if (key.name.equals(FieldKeys.FIELDS_CONFIG)) {
        continue;
      }
      if (key.name.equals(KekKeys.KEK_NAME_CONFIG)) {
        def.define(key.name, key.type, null, key.importance, key.documentation + " Optional here.");
        continue;
      }
      def.define(key);
    }
    return def;
  }

  /** Opens the store; close it after use. */
  public DekStoreAdmin open() {
    return DekStores.open(kafkaStore, registry);
  }

  /** The KEK of {@code encrypt.kek.name} with its KMS settings, if the name is set. */
  public Optional<KekSettings> kek() {
    String name = config.getString(KekKeys.KEK_NAME_CONFIG);
    return name == null || name.isBlank() ? Optional.empty() : Optional.of(config.kekSettings());
  }

  /** {@code encrypt.kek.name}, if set; unlike {@link #kek()} needs no KMS settings. */
  public Optional<String> kekName() {
    String name = config.getString(KekKeys.KEK_NAME_CONFIG);
    return name == null || name.isBlank() ? Optional.empty() : Optional.of(name);
  }

  /** {@code encrypt.dek.algorithm}. */
  public DekAlgorithm algorithm() {
    return config.algorithm();
  }

  /** {@code encrypt.dek.expiry.days}: 0 when DEKs do not rotate. */
  public int expiryDays() {
    return config.expiryDays();
  }

  /** True for the embedded store on a Kafka topic ({@code dek.store=kafka}). */
  public boolean embeddedStore() {
    return kafkaStore != null;
  }

  /** Where the keys live, for people: the key topic and cluster, or the registry URLs. */
  public String describe() {
    return kafkaStore != null
        ? "key topic '" + kafkaStore.topic() + "' on " + kafkaStore.bootstrapServers()
        : "DEK registry " + String.join(", ", registry.baseUrls());
  }
}
