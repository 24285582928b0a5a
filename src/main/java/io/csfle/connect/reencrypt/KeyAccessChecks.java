package io.csfle.connect.reencrypt;

import io.csfle.connect.config.FieldCryptoSettings;
import io.csfle.connect.config.KekKeys;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.RegisteredKek;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks for {@code validate()} that need the DEK registry and the KMS: the source KEK is
 * registered, and the target KEK is registered (or can be created) and its KMS key wraps a DEK with
 * the configured credentials. A throwaway random key is wrapped; nothing is created.
 */
final class KeyAccessChecks {
  private KeyAccessChecks() {}

  static Map<String, String> errors(ReencryptSourceConfig config, KekProviders providers) {
    Map<String, String> errors = new HashMap<>();
    FieldCryptoSettings target = config.target();
    try (DekStore registry = target.openDekStore()) {
      if (!config.sourcePlaintext()) {
        String sourceKek = config.source().kek().name();
        if (registry.getKek(sourceKek, true).isEmpty()) {
          errors.put(
              ReencryptSourceConfig.SOURCE_KEK_NAME_CONFIG,
              "KEK '" + sourceKek + "' is not in the DEK registry");
        }
      }
      KekSettings kek = target.kek();
      Optional<RegisteredKek> registered = registry.getKek(kek.name(), false);
      if (registered.isEmpty() && kek.kmsType() == null) {
        errors.put(
            KekKeys.KEK_NAME_CONFIG,
            "KEK '"
                + kek.name()
                + "' is not in the DEK registry; set encrypt.kms.type and encrypt.kms.key.id to"
                + " create it");
      } else if (registered.isEmpty() || !registered.get().shared()) {
        checkWrap(kek, registered, providers, errors);
      }
    } catch (DekStoreException | ConfigException e) {
      errors.put(target.dekStoreConfigKey(), "DEK store not usable: " + e.getMessage());
    }
    return errors;
  }

  private static void checkWrap(
      KekSettings kek,
      Optional<RegisteredKek> registered,
      KekProviders providers,
      Map<String, String> errors) {
    Map<String, String> properties =
        kek.kmsPropertiesFor(registered.map(RegisteredKek::kmsProps).orElse(Map.of()));
    String type = registered.map(RegisteredKek::kmsType).orElse(kek.kmsType());
    String keyId = registered.map(RegisteredKek::kmsKeyId).orElse(kek.kmsKeyId());
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    try (Kek client = providers.create(type, keyId, properties)) {
      client.wrap(probe);
    } catch (KmsException e) {
      errors.put(
          KekKeys.KEK_NAME_CONFIG,
          "cannot wrap a DEK with the KMS key of KEK '" + kek.name() + "': " + e.getMessage());
    }
  }
}
