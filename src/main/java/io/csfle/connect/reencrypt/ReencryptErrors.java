package io.csfle.connect.reencrypt;

import io.csfle.connect.codec.CodecException;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.dek.MissingDekException;
import io.csfle.connect.field.FieldPathException;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.store.DekStoreException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * The connector's one place where lower layers' exceptions are classified and become Connect
 * exceptions: a problem of one record (not a ciphertext, altered, DEK gone, missing field) is a
 * {@link DataException} naming the record's coordinates and field, and may instead go to the errors
 * topic; a registry or KMS outage is retried; anything else (access denied, misconfigured keys)
 * fails the task with a message that says what to fix. Messages come from our own exceptions, which
 * never carry values or key bytes.
 */
final class ReencryptErrors {
  private ReencryptErrors() {}

  /** The exception that says what went wrong, past the field wrapper. */
  static RuntimeException rootOf(RuntimeException failure) {
    return failure instanceof ReencryptFailure f && f.getCause() instanceof RuntimeException r
        ? r
        : failure;
  }

  /** True when the failure concerns only this record, so it may go to the errors topic. */
  static boolean isRecordProblem(RuntimeException failure) {
    RuntimeException cause = rootOf(failure);
    return cause instanceof ReencryptFailure
        || cause instanceof CryptoException
        || cause instanceof CodecException
        || cause instanceof MissingDekException
        || cause instanceof FieldPathException
        || cause instanceof DataException;
  }

  /** True for outages that a later attempt may get past. */
  static boolean isRetriable(RuntimeException failure) {
    RuntimeException cause = rootOf(failure);
    return cause instanceof RetriableException
        || cause instanceof DekStoreException r && r.kind() == DekStoreException.Kind.UNAVAILABLE
        || cause instanceof KmsException k && k.isRetriable();
  }

  /** The name of the error for headers and reports: the class of the root cause. */
  static String errorClass(RuntimeException failure) {
    return rootOf(failure).getClass().getName();
  }

  static ConnectException map(RuntimeException failure, String coordinates) {
    String where =
        coordinates
            + (failure instanceof ReencryptFailure f && f.path() != null
                ? ", field '" + f.path() + "'"
                : "");
    RuntimeException cause = rootOf(failure);
    String message = "Cannot re-encrypt " + where + ": " + cause.getMessage();
    if (isRetriable(failure)) {
      return new RetriableException(message, cause);
    }
    if (isRecordProblem(failure)) {
      return new DataException(message);
    }
    if (cause instanceof DekStoreException r && r.kind() == DekStoreException.Kind.ACCESS_DENIED) {
      return new ConnectException(
          message + " (check basic.auth.user.info / bearer.auth.token and the registry's ACLs)",
          cause);
    }
    return cause instanceof ConnectException connect
        ? connect
        : new ConnectException(message, cause);
  }
}
