package io.csfle.connect.transforms;

import io.csfle.connect.codec.CodecException;
import io.csfle.connect.codec.SchemaCodec;
import io.csfle.connect.codec.TypedValueCodec;
import io.csfle.connect.crypto.CiphertextFrame;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.dek.MissingDekException;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts one field value: STRING from padded standard base64, BYTES raw; in rotation mode the DEK
 * version comes from the ciphertext prefix, otherwise it is 1. A field whose schema carries the
 * original schema parameter, or a schemaless value whose plaintext is typed, is restored to its
 * original type; otherwise the plaintext is Confluent's (UTF-8 string or bytes). With pass-through
 * enabled, a value that cannot be decrypted stays as it is (still ciphertext); a typed field, whose
 * restored schema cannot hold ciphertext, makes the whole record pass through unchanged ({@link
 * RecordPassThrough}). Outages and access problems are never passed through.
 *
 * <p>This object is the schema side, shared by every record and thread; {@link #forRecord} gives
 * each record its own value side, which knows the record (for messages) and its DEK subject.
 */
final class FieldDecryptor implements SchemaRewrite {
  private static final Logger log = LoggerFactory.getLogger(FieldDecryptor.class);
  private static final Base64.Decoder BASE64 = Base64.getDecoder();
  private static final int MAX_REMEMBERED_SCHEMAS = 1_000;

  private final DecryptionKeys keys;
  private final boolean rotating;
  private final boolean passThroughOnFailure;

  /**
   * Encrypted field schema instance to the original schema in its parameter, parsed once per
   * instance. Read on every typed field by every thread, written once per schema instance: an
   * immutable map replaced on write, so reads take no lock and allocate nothing.
   */
  private volatile Map<Schema, Schema> originalByEncrypted = new IdentityHashMap<>();

  private final TransformMetrics metrics;

  FieldDecryptor(
      DecryptionKeys keys,
      boolean rotating,
      boolean passThroughOnFailure,
      TransformMetrics metrics) {
    this.keys = keys;
    this.metrics = metrics;
    this.rotating = rotating;
    this.passThroughOnFailure = passThroughOnFailure;
  }

  /** The value side for one record, whose fields are under {@code subject}'s DEKs. */
  ValueRewrite forRecord(ConnectRecord<?> record, String subject) {
    return (path, fieldSchema, value) -> decryptField(record, subject, path, fieldSchema, value);
  }

  @Override
  public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
    Schema original;
    try {
      original = originalOf(fieldSchema);
    } catch (CodecException e) {
      throw new FieldFailure(path, e);
    }
    if (original != null) {
      return original;
    }
    if (!FieldValues.isConfluentNative(fieldSchema)) {
      throw new FieldFailure(
          path,
          "field type "
              + FieldValues.describe(fieldSchema)
              + " cannot hold a ciphertext; encrypted fields are STRING or BYTES");
    }
    return fieldSchema;
  }

  private Object decryptField(
      ConnectRecord<?> record, String subject, FieldPath path, Schema fieldSchema, Object value) {
    boolean typed = false;
    try {
      Schema original = fieldSchema == null ? null : originalOf(fieldSchema);
      typed = original != null;
      byte[] plaintext =
          decrypt(
              subject,
              value instanceof String text
                  ? decodeBase64(path, text)
                  : FieldValues.bytesOf(path, value));
      if (original != null) {
        return TypedValueCodec.decode(plaintext, original);
      }
      if (fieldSchema == null && TypedValueCodec.isTyped(plaintext)) {
        return TypedValueCodec.decode(plaintext, null);
      }
      return value instanceof String ? new String(plaintext, StandardCharsets.UTF_8) : plaintext;
    } catch (RuntimeException e) {
      if (passThroughOnFailure && isBadCiphertext(e)) {
        if (typed) {
          throw new RecordPassThrough(path, e);
        }
        metrics.fieldPassedThrough();
        log.warn(
            "Field '{}' of the {} could not be decrypted and is passed through as ciphertext"
                + " ({} so far): {}",
            path,
            ConnectErrors.coordinates(record),
            metrics.passedThrough(),
            e.getMessage());
        return value;
      }
      throw e instanceof FieldFailure ? e : new FieldFailure(path, e);
    }
  }

  private Schema originalOf(Schema encrypted) {
    Schema original = originalByEncrypted.get(encrypted);
    if (original == null) {
      String json =
          encrypted.parameters() == null ? null : encrypted.parameters().get(SchemaCodec.PARAMETER);
      if (json == null) {
        return null;
      }
      original = SchemaCodec.fromJson(json);
      remember(encrypted, original);
    }
    return original;
  }

  private synchronized void remember(Schema encrypted, Schema original) {
    Map<Schema, Schema> next =
        originalByEncrypted.size() >= MAX_REMEMBERED_SCHEMAS
            ? new IdentityHashMap<>()
            : new IdentityHashMap<>(originalByEncrypted);
    next.put(encrypted, original);
    originalByEncrypted = next;
  }

  private byte[] decrypt(String subject, byte[] ciphertext) {
    int version = rotating ? CiphertextFrame.version(ciphertext) : 1;
    int offset = rotating ? CiphertextFrame.PREFIX_LENGTH : 0;
    return keys.forVersion(subject, version)
        .decrypt(ciphertext, offset, ciphertext.length - offset);
  }

  private static byte[] decodeBase64(FieldPath path, String value) {
    try {
      return BASE64.decode(value);
    } catch (IllegalArgumentException e) {
      throw new FieldFailure(
          path, "value is not standard base64, so it is not a CSFLE ciphertext of a string");
    }
  }

  /**
   * Failures of this one value (not base64, tampered, unknown DEK version, bad typed plaintext).
   * Outages and access or configuration problems affect every record and are never passed through.
   */
  private static boolean isBadCiphertext(RuntimeException e) {
    return e instanceof FieldFailure
        || e instanceof CryptoException
        || e instanceof CodecException
        || e instanceof MissingDekException;
  }
}
