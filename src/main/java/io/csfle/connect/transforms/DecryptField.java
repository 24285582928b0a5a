package io.csfle.connect.transforms;

import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
import io.csfle.connect.fieldcrypto.ConnectErrors;
import io.csfle.connect.fieldcrypto.FieldDecryptor;
import io.csfle.connect.fieldcrypto.FieldDecryptor.RecordDecryption;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.subject.SubjectTemplate;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts fields that {@link EncryptField} or Confluent's CSFLE serializers encrypted, using the
 * same KEK, algorithm and rotation mode settings as the writer.
 */
public abstract class DecryptField<R extends ConnectRecord<R>> extends FieldCryptoTransform<R> {
  private static final Logger log = LoggerFactory.getLogger(DecryptField.class);

  public static final String OVERVIEW_DOC =
      "Decrypts the configured fields, which were encrypted with Confluent-compatible CSFLE. Use"
          + " <code>"
          + DecryptField.class.getName()
          + "$Key</code> for the record key or <code>"
          + DecryptField.class.getName()
          + "$Value</code> for the record value.";

  /** The definition of {@code $Value}; {@code $Key}'s differs only in the check of dek.subject. */
  public static final ConfigDef CONFIG_DEF = CsfleConfig.decryptFieldDefinition(false);

  static final ConfigDef KEY_CONFIG_DEF = CsfleConfig.decryptFieldDefinition(true);

  private FieldDecryptor decryptor;

  DecryptField(RecordSide side) {
    super(side);
  }

  @Override
  SchemaRewrite createRewrite(CsfleConfig config, DekStore registry) {
    DecryptionKeys keys =
        owned(
            new DecryptionKeys(
                registry,
                KekProviders.standard().withListener(metrics::kmsCall),
                config.kekSettings(),
                config.algorithm(),
                config.dekCacheMaxVersions(),
                config.dekCacheTtlMillis(),
                clock,
                config.readsEntityKeys(side().isKey()) ? entityKeys(config, registry) : null));
    boolean passThrough = config.passThroughOnFailure();
    decryptor =
        new FieldDecryptor(
            keys, config.expiryDays() > 0, passThrough, config.onForgotten(), metrics);
    return decryptor;
  }

  /**
   * A record whose typed field could not be decrypted with pass-through on comes back as it came:
   * the restored type of that field cannot hold its ciphertext.
   */
  @Override
  R rewritten(R record, ValueRewrite values, SchemaAndValue rewritten) {
    if (!(values instanceof RecordDecryption decryption) || !decryption.stopped()) {
      return super.rewritten(record, values, rewritten);
    }
    metrics.fieldPassedThrough();
    log.warn(
        "Field '{}' of the {} could not be decrypted, and its type cannot hold ciphertext: the"
            + " whole record is passed through unchanged ({} fields passed through so far): {}",
        decryption.passedThroughPath(),
        ConnectErrors.coordinates(record),
        metrics.passedThrough(),
        decryption.passedThroughReason());
    return record;
  }

  @Override
  ValueRewrite forRecord(ConnectRecord<?> record, SubjectTemplate subjects) {
    return decryptor.forRecord(record, subjects);
  }

  @Override
  String action() {
    return "decrypting";
  }

  @Override
  public ConfigDef config() {
    return side().isKey() ? KEY_CONFIG_DEF : CONFIG_DEF;
  }

  /** Decrypts fields of the record key. */
  public static final class Key<R extends ConnectRecord<R>> extends DecryptField<R> {
    public Key() {
      super(RecordSide.KEY);
    }
  }

  /** Decrypts fields of the record value. */
  public static final class Value<R extends ConnectRecord<R>> extends DecryptField<R> {
    public Value() {
      super(RecordSide.VALUE);
    }
  }
}
