package io.csfle.connect.transforms;

import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.fieldcrypto.HeaderDecryptor;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;

/**
 * Decrypts the headers {@link EncryptHeaders} encrypted, with the writer's KEK, algorithm, rotation
 * mode and subject. Its own {@code headers} decide which headers must be ciphertext: a chosen
 * header that is not a ciphertext of its own name fails the record (unless {@code
 * decrypt.on.failure=passthrough}), so no header added upstream reaches the sink as plaintext under
 * a name the reader trusts.
 */
public final class DecryptHeaders<R extends ConnectRecord<R>> extends HeaderCryptoTransform<R> {
  public static final String OVERVIEW_DOC =
      "Decrypts the configured record headers, which EncryptHeaders encrypted, with the same"
          + " keys and settings; a chosen header that is not a ciphertext of its own name fails"
          + " the record. Use <code>"
          + DecryptHeaders.class.getName()
          + "</code>.";

  public static final ConfigDef CONFIG_DEF = HeaderCryptoConfig.decryptHeadersDefinition();

  private HeaderDecryptor decryptor;

  public DecryptHeaders() {
    super("decrypting", "decrypted", CONFIG_DEF);
  }

  @Override
  AutoCloseable createKeys(HeaderCryptoConfig config, DekStore store) {
    DecryptionKeys keys =
        new DecryptionKeys(
            store,
            KekProviders.standard().withListener(metrics::kmsCall),
            config.kekSettings(),
            config.algorithm(),
            DecryptionKeys.DEFAULT_MAX_CACHED,
            DecryptionKeys.DEFAULT_TTL_MILLIS,
            clock);
    decryptor =
        new HeaderDecryptor(
            keys, config.expiryDays() > 0, config.passThroughOnFailure() ? metrics : null);
    return keys;
  }

  @Override
  HeaderRewrite forRecord(ConnectRecord<?> record, String subject) {
    return (name, schema, value) -> decryptor.decrypt(record, subject, name, schema, value);
  }
}
