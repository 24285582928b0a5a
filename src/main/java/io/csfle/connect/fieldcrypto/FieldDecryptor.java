package io.csfle.connect.fieldcrypto;

import io.csfle.connect.codec.CodecException;
import io.csfle.connect.codec.SchemaCodec;
import io.csfle.connect.codec.TypedValueCodec;
import io.csfle.connect.crypto.FieldCipher;
import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.dek.ForgottenDekException;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.OptionalSchema;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
import io.csfle.connect.subject.SubjectTemplate;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decrypts one field value: STRING from padded standard base64, BYTES raw; in rotation mode the DEK
 * version comes from the ciphertext prefix, otherwise it is 1. A field whose schema carries the
 * original schema parameter, or a schemaless value whose plaintext is typed, is restored to its
 * original type; otherwise the plaintext is Confluent's (UTF-8 string or bytes).
 *
 * <p>With pass-through enabled, a value that cannot be decrypted ({@link FailureKind#RECORD}) stays
 * as it is (still ciphertext). A typed field, whose restored schema cannot hold ciphertext, makes
 * the whole record pass through unchanged: its {@link RecordDecryption} {@linkplain
 * RecordDecryption#stopped() stops}, the walker hands back the input, and the caller returns the
 * record as it came. Outages and access problems are never passed through.
 *
 * <p>This object is the schema side, shared by every record and thread; {@link #forRecord} gives
 * each record its own value side, which knows the record (for messages) and its DEK subject.
 */
public final class FieldDecryptor implements SchemaRewrite {
  private static final Logger log = LoggerFactory.getLogger(FieldDecryptor.class);
  private static final int MAX_REMEMBERED_SCHEMAS = 1_000;

  private final DecryptionKeys keys;
  private final CiphertextFormat format;
  private final boolean passThroughOnFailure;
  private final OnForgotten onForgotten;
  private final PassThroughCounter counter;

  /**
   * Encrypted field schema instance to the original schema in its parameter, parsed once per
   * instance. Read on every typed field by every thread, written once per schema instance: an
   * immutable map replaced on write, so reads take no lock and allocate nothing.
   */
  private volatile Map<Schema, Schema> originalByEncrypted = new IdentityHashMap<>();

  /**
   * @param rotating true when ciphertexts carry the DEK version prefix
   * @param passThroughOnFailure true to keep values that cannot be decrypted (see the class)
   * @param counter counts the fields passed through
   */
  public FieldDecryptor(
      DecryptionKeys keys,
      boolean rotating,
      boolean passThroughOnFailure,
      PassThroughCounter counter) {
    this(
        keys,
        rotating,
        passThroughOnFailure,
        passThroughOnFailure ? OnForgotten.PASSTHROUGH : OnForgotten.FAIL,
        counter);
  }

  /**
   * @param onForgotten what becomes of a field whose entity was forgotten; with {@link
   *     OnForgotten#NULL} every decrypted field schema is optional
   */
  public FieldDecryptor(
      DecryptionKeys keys,
      boolean rotating,
      boolean passThroughOnFailure,
      OnForgotten onForgotten,
      PassThroughCounter counter) {
    this.keys = keys;
    this.format = new CiphertextFormat(rotating);
    this.passThroughOnFailure = passThroughOnFailure;
    this.onForgotten = onForgotten;
    this.counter = counter;
  }

  /** The value side for one record, whose fields are under {@code subject}'s DEKs. */
  public RecordDecryption forRecord(ConnectRecord<?> record, String subject) {
    return new RecordDecryption(record, null, subject);
  }

  /**
   * The value side for one record, whose fields are under the DEKs of the subject {@code subjects}
   * renders from it; rendered only when a field needs a DEK.
   */
  public RecordDecryption forRecord(ConnectRecord<?> record, SubjectTemplate subjects) {
    return new RecordDecryption(record, subjects, null);
  }

  @Override
  public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
    Schema original;
    try {
      original = originalOf(fieldSchema);
    } catch (CodecException e) {
      throw new FieldCryptoException(path, e);
    }
    Schema decrypted =
        original != null ? original : FieldValues.holdingCiphertext(path, fieldSchema);
    return onForgotten == OnForgotten.NULL ? OptionalSchema.of(decrypted) : decrypted;
  }

  /**
   * One record's decryption. Once a typed field fails with pass-through on, it {@linkplain
   * #stopped() stops}: it decrypts nothing more, and the record is to pass through unchanged.
   */
  public final class RecordDecryption implements ValueRewrite {
    private final ConnectRecord<?> record;
    private final SubjectTemplate subjects;
    private String subject;
    // The DEK of the last field: the fields of one record are nearly always under one version, so
    // its other fields skip the key lookup (a map read and a clock read each).
    private int lastVersion;
    private FieldCipher lastCipher;
    private final IntFunction<FieldCipher> cipherOfVersion = this::cipherFor;
    private FieldPath passedThroughPath;
    private String passedThroughReason;

    private RecordDecryption(ConnectRecord<?> record, SubjectTemplate subjects, String subject) {
      this.record = record;
      this.subjects = subjects;
      this.subject = subject;
    }

    /** The record's DEK subject, rendered on the first field that needs it. */
    private String subject() {
      String resolved = subject;
      if (resolved == null) {
        resolved = subjects.subjectOf(record);
        subject = resolved;
      }
      return resolved;
    }

    @Override
    public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
      if (stopped()) {
        return value;
      }
      Schema original = null;
      try {
        original = fieldSchema == null ? null : originalOf(fieldSchema);
        return decrypt(original, fieldSchema, path, value);
      } catch (RuntimeException e) {
        boolean forgotten = FieldCryptoException.rootOf(e) instanceof ForgottenDekException;
        if (forgotten && onForgotten == OnForgotten.NULL) {
          counter.fieldForgotten();
          return null;
        }
        boolean passThrough =
            forgotten ? onForgotten == OnForgotten.PASSTHROUGH : passThroughOnFailure;
        if (!passThrough || FailureKind.of(e) != FailureKind.RECORD) {
          throw FieldCryptoException.of(path, e);
        }
        if (original != null) {
          passedThroughPath = path;
          passedThroughReason = e.getMessage();
          return value;
        }
        counter.fieldPassedThrough();
        log.warn(
            "Field '{}' of the {} could not be decrypted and is passed through as ciphertext"
                + " ({} so far): {}",
            path,
            ConnectErrors.coordinates(record),
            counter.passedThrough(),
            e.getMessage());
        return value;
      }
    }

    /** True once a typed field could not be decrypted: the whole record passes through. */
    @Override
    public boolean stopped() {
      return passedThroughPath != null;
    }

    /** The typed field that made the record pass through, or null. */
    public FieldPath passedThroughPath() {
      return passedThroughPath;
    }

    /** Why that field could not be decrypted (never its value), or null. */
    public String passedThroughReason() {
      return passedThroughReason;
    }

    /** The DEK of {@code version}, looked up once per version in a record. */
    private FieldCipher cipherFor(int version) {
      FieldCipher cipher = lastCipher;
      if (cipher == null || version != lastVersion) {
        cipher = keys.forVersion(subject(), version);
        lastVersion = version;
        lastCipher = cipher;
      }
      return cipher;
    }

    private Object decrypt(Schema original, Schema fieldSchema, FieldPath path, Object value) {
      byte[] plaintext = format.decryptField(path, value, cipherOfVersion);
      if (original != null) {
        return TypedValueCodec.decode(plaintext, original);
      }
      if (fieldSchema == null && TypedValueCodec.isTyped(plaintext)) {
        return TypedValueCodec.decode(plaintext, null);
      }
      return value instanceof String ? new String(plaintext, StandardCharsets.UTF_8) : plaintext;
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
      if (onForgotten == OnForgotten.NULL) {
        // Decoded structs carry this schema, which must be the (optional) output schema.
        original = OptionalSchema.of(original);
      }
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
}
