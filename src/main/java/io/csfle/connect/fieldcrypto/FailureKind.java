package io.csfle.connect.fieldcrypto;

import io.csfle.connect.codec.CodecException;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.dek.DekException;
import io.csfle.connect.dek.DekStoreAnswerException;
import io.csfle.connect.dek.MissingDekException;
import io.csfle.connect.field.FieldPathException;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.store.DekStoreException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * What a failure says about the record, the one answer every user of this package asks: the
 * transforms (which Connect exception), {@code DecryptField}'s pass-through (only {@link #RECORD}
 * passes), and the re-encryption job (errors topic, retry, or stop). Classified in one place,
 * {@link #of}, from the lower layers' exceptions.
 */
public enum FailureKind {
  /**
   * This record's data: not a ciphertext, altered, its DEK version gone, typed plaintext that does
   * not fit, a path the record cannot take. Other records may be fine.
   */
  RECORD,
  /** DEK store or KMS unavailable or throttling: a later attempt may get past it. */
  OUTAGE,
  /** The DEK store refused our credentials: every record fails until someone fixes access. */
  ACCESS_DENIED,
  /**
   * The DEK store answered with another key than asked (algorithm, version, subject, KEK): the
   * record is fine and retrying cannot help; the store holds the wrong key until someone fixes it.
   */
  STORE_ANSWER,
  /**
   * Keys or settings that are wrong for every record: a request the store rejects, a KMS error that
   * is not an outage, a key that cannot be created or read.
   */
  CONFIGURATION,
  /** None of the above: a bug or an exception of a library we did not expect. */
  UNEXPECTED;

  /** The kind of {@code failure}, looking past the field wrapper to its cause. */
  public static FailureKind of(RuntimeException failure) {
    RuntimeException cause = FieldCryptoException.rootOf(failure);
    if (cause instanceof FieldCryptoException
        || cause instanceof CryptoException
        || cause instanceof CodecException
        || cause instanceof MissingDekException
        || cause instanceof FieldPathException
        || cause instanceof DataException) {
      return RECORD;
    }
    if (cause instanceof DekStoreException store) {
      return switch (store.kind()) {
        case UNAVAILABLE -> OUTAGE;
        case ACCESS_DENIED -> ACCESS_DENIED;
        default -> CONFIGURATION;
      };
    }
    if (cause instanceof KmsException kms) {
      return kms.isRetriable() ? OUTAGE : CONFIGURATION;
    }
    if (cause instanceof RetriableException) {
      return OUTAGE;
    }
    if (cause instanceof DekStoreAnswerException) {
      return STORE_ANSWER;
    }
    if (cause instanceof DekException || cause instanceof ConnectException) {
      return CONFIGURATION;
    }
    return UNEXPECTED;
  }
}
