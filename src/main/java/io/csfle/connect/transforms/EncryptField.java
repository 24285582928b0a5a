package io.csfle.connect.transforms;

import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
import io.csfle.connect.fieldcrypto.EntityKeyChoice;
import io.csfle.connect.fieldcrypto.FieldEncryptor;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.subject.SubjectTemplate;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;

/**
 * Encrypts chosen fields of a record's key ({@code $Key}) or value ({@code $Value}) with a DEK from
 * a Confluent-compatible DEK registry, producing exactly the ciphertext Confluent's CSFLE
 * serializers write.
 */
public abstract class EncryptField<R extends ConnectRecord<R>> extends FieldCryptoTransform<R> {
  public static final String OVERVIEW_DOC =
      "Encrypts the configured fields with client-side field-level encryption compatible with"
          + " Confluent's CSFLE: the DEK is created or read in a DEK registry and wrapped by a KEK"
          + " in a KMS. Use <code>"
          + EncryptField.class.getName()
          + "$Key</code> for the record key or <code>"
          + EncryptField.class.getName()
          + "$Value</code> for the record value.";

  /** The definition of {@code $Value}; {@code $Key}'s differs only in the check of dek.subject. */
  public static final ConfigDef CONFIG_DEF = CsfleConfig.encryptFieldDefinition(false);

  static final ConfigDef KEY_CONFIG_DEF = CsfleConfig.encryptFieldDefinition(true);

  private FieldEncryptor encryptor;

  EncryptField(RecordSide side) {
    super(side);
  }

  @Override
  SchemaRewrite createRewrite(CsfleConfig config, DekStore registry) {
    EncryptionKeys keys =
        owned(
            new EncryptionKeys(
                registry,
                KekProviders.standard().withListener(metrics::kmsCall),
                config.kekSettings(),
                config.algorithm(),
                config.expiryDays(),
                clock,
                config.dekCacheMaxSubjects(),
                config.dekCacheTtlMillis()));
    EntityKeyChoice entities =
        config.usesEntityKeys(side().isKey())
            ? new EntityKeyChoice(
                owned(entityKeys(config, registry)), config.entityParentSubjects())
            : null;
    encryptor = new FieldEncryptor(keys, entities, config.typedValuesAsBytes());
    return encryptor;
  }

  @Override
  ValueRewrite forRecord(ConnectRecord<?> record, SubjectTemplate subjects) {
    return encryptor.forRecord(record, subjects);
  }

  @Override
  String action() {
    return "encrypting";
  }

  @Override
  public ConfigDef config() {
    return side().isKey() ? KEY_CONFIG_DEF : CONFIG_DEF;
  }

  /** Encrypts fields of the record key. */
  public static final class Key<R extends ConnectRecord<R>> extends EncryptField<R> {
    public Key() {
      super(RecordSide.KEY);
    }
  }

  /** Encrypts fields of the record value. */
  public static final class Value<R extends ConnectRecord<R>> extends EncryptField<R> {
    public Value() {
      super(RecordSide.VALUE);
    }
  }
}
