package io.csfle.connect.transforms;

import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.fieldcrypto.HeaderEncryptor;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;

/**
 * Encrypts chosen headers of a record (this project's extension: Confluent's CSFLE encrypts no
 * header) with a DEK of the same KEK, KMS, DEK store and algorithm settings as {@link
 * EncryptField}. Each becomes a STRING header holding base64 ciphertext bound to its name; see the
 * "Headers" section of docs/FORMAT.md.
 */
public final class EncryptHeaders<R extends ConnectRecord<R>> extends HeaderCryptoTransform<R> {
  public static final String OVERVIEW_DOC =
      "Encrypts the configured record headers with the same keys and settings as EncryptField:"
          + " each becomes a STRING header holding the base64 ciphertext, bound to the header"
          + " name. Use <code>"
          + EncryptHeaders.class.getName()
          + "</code>; DecryptHeaders restores them.";

  public static final ConfigDef CONFIG_DEF = HeaderCryptoConfig.encryptHeadersDefinition();

  private HeaderEncryptor encryptor;

  public EncryptHeaders() {
    super("encrypting", "encrypted", CONFIG_DEF);
  }

  @Override
  AutoCloseable createKeys(HeaderCryptoConfig config, DekStore store) {
    EncryptionKeys keys =
        new EncryptionKeys(
            store,
            KekProviders.standard().withListener(metrics::kmsCall),
            config.kekSettings(),
            config.algorithm(),
            config.expiryDays(),
            clock,
            EncryptionKeys.DEFAULT_MAX_SUBJECTS);
    encryptor = new HeaderEncryptor(keys);
    return keys;
  }

  @Override
  HeaderRewrite forRecord(ConnectRecord<?> record, String subject) {
    return encryptor.forSubject(subject)::encrypt;
  }
}
