package io.csfle.connect.fieldcrypto;

import io.csfle.connect.dek.EncryptionKeys;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;

/**
 * Encrypts header values (this project's extension; Confluent encrypts no header): the value's
 * typed plaintext ({@link HeaderValues}) is encrypted with the field cipher, bound to the header's
 * name as associated data, framed with the DEK version in rotation mode exactly as a field is, and
 * written as a STRING header holding the padded standard base64 of the ciphertext. Shared by every
 * record and thread; {@link #forSubject} gives each record its own key resolution.
 */
public final class HeaderEncryptor {
  private final EncryptionKeys keys;
  private final CiphertextFormat format;

  public HeaderEncryptor(EncryptionKeys keys) {
    this.keys = keys;
    this.format = new CiphertextFormat(keys.rotating());
  }

  /** One record's headers under {@code subject}'s DEK, resolved on the first header it encrypts. */
  public RecordHeaderEncryption forSubject(String subject) {
    return new RecordHeaderEncryption(new RecordEncryptionKey(keys, subject, format));
  }

  /** One record's header encryption; used by one thread. */
  public static final class RecordHeaderEncryption {
    private final RecordEncryptionKey key;

    private RecordHeaderEncryption(RecordEncryptionKey key) {
      this.key = key;
    }

    /**
     * The encrypted header for a non-null value of header {@code name}.
     *
     * @throws FieldCryptoException naming the header when it cannot be encrypted
     */
    public SchemaAndValue encrypt(String name, Schema schema, Object value) {
      try {
        byte[] ciphertext =
            key.encrypt(
                HeaderValues.plaintext(name, schema, value), HeaderValues.associatedData(name));
        return new SchemaAndValue(Schema.STRING_SCHEMA, CiphertextFormat.base64(ciphertext));
      } catch (FieldCryptoException e) {
        throw e;
      } catch (RuntimeException e) {
        throw FieldCryptoException.forHeader(name, null, e);
      }
    }
  }
}
