package io.csfle.connect.fieldcrypto;

import io.csfle.connect.codec.SchemaCodec;
import io.csfle.connect.codec.TypedValueCodec;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.SchemaWithoutDefault;
import io.csfle.connect.field.ValueRewrite;
import io.csfle.connect.subject.SubjectTemplate;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Encrypts one field value. STRING and BYTES values are encrypted as Confluent does: STRING becomes
 * the padded standard base64 of the ciphertext, BYTES the raw ciphertext. Every other value (and
 * any schemaless value that is not a string) is first turned into our typed plaintext (see {@code
 * docs/FORMAT.md}) and the field becomes an encrypted STRING, or BYTES if so configured, whose
 * schema parameter records the original schema. In rotation mode the ciphertext carries the DEK
 * version prefix.
 *
 * <p>This object is the schema side, shared by every record and thread; {@link #forSubject} gives
 * each record its own value side, which resolves the subject's DEK on the first field that needs it
 * ({@link RecordEncryptionKey}). Failures come out as {@link FieldCryptoException}.
 */
public final class FieldEncryptor implements SchemaRewrite {
  private final EncryptionKeys keys;
  private final EntityKeyChoice entities;
  private final CiphertextFormat format;
  private final boolean typedAsBytes;

  /**
   * @param typedAsBytes true to write typed fields as BYTES, false for base64 STRING
   */
  public FieldEncryptor(EncryptionKeys keys, boolean typedAsBytes) {
    this(keys, null, typedAsBytes);
  }

  /**
   * @param entities entity keys for subjects rendered from record data, or null for ordinary DEKs
   * @param typedAsBytes true to write typed fields as BYTES, false for base64 STRING
   */
  public FieldEncryptor(EncryptionKeys keys, EntityKeyChoice entities, boolean typedAsBytes) {
    this.keys = keys;
    this.entities = entities;
    this.format = new CiphertextFormat(keys.rotating());
    this.typedAsBytes = typedAsBytes;
  }

  /** The value side for one record whose fields go under {@code subject}'s DEK. */
  public ValueRewrite forSubject(String subject) {
    return new SubjectEncryption(new RecordEncryptionKey(keys, subject, format));
  }

  /**
   * The value side for {@code record}, whose fields go under the DEK of the subject {@code
   * subjects} renders from it; rendered only when a field needs the DEK.
   */
  public ValueRewrite forRecord(ConnectRecord<?> record, SubjectTemplate subjects) {
    return new SubjectEncryption(new RecordEncryptionKey(keys, entities, subjects, record, format));
  }

  /**
   * The encrypted field's schema. A default of the field is a plaintext value that would travel in
   * every record's schema, so it is left out of both the schema and the original-schema parameter;
   * the value itself is always set (an unset field is encrypted as its default), so no record needs
   * it. Defaults nested inside an encrypted STRUCT, ARRAY or MAP stay in the parameter: the typed
   * plaintext keeps unset members unset, and only those defaults can restore them.
   */
  @Override
  public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
    Schema original = SchemaWithoutDefault.of(fieldSchema);
    if (FieldValues.isConfluentNative(fieldSchema)) {
      return original;
    }
    SchemaBuilder encrypted = typedAsBytes ? SchemaBuilder.bytes() : SchemaBuilder.string();
    if (fieldSchema.isOptional()) {
      encrypted.optional();
    }
    return encrypted.parameter(SchemaCodec.PARAMETER, SchemaCodec.toJson(original)).build();
  }

  /** One record's encryption: its subject's DEK, resolved once a field needs it. */
  private final class SubjectEncryption implements ValueRewrite {
    private final RecordEncryptionKey key;

    SubjectEncryption(RecordEncryptionKey key) {
      this.key = key;
    }

    @Override
    public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
      try {
        if (fieldSchema == null) {
          return value instanceof String text ? encryptString(text) : encryptTyped(null, value);
        }
        if (!FieldValues.isConfluentNative(fieldSchema)) {
          return encryptTyped(fieldSchema, value);
        }
        return fieldSchema.type() == Schema.Type.STRING
            ? encryptString((String) value)
            : key.encrypt(FieldValues.bytesOf(path, value));
      } catch (RuntimeException e) {
        throw FieldCryptoException.of(path, e);
      }
    }

    private String encryptString(String value) {
      return CiphertextFormat.base64(key.encrypt(value.getBytes(StandardCharsets.UTF_8)));
    }

    private Object encryptTyped(Schema schema, Object value) {
      byte[] ciphertext = key.encrypt(TypedValueCodec.encode(schema, value));
      return typedAsBytes ? ciphertext : CiphertextFormat.base64(ciphertext);
    }
  }
}
