package io.csfle.connect.transforms;

import io.csfle.connect.codec.CodecException;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.dek.DekException;
import io.csfle.connect.dek.DekStoreAnswerException;
import io.csfle.connect.dek.MissingDekException;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldPathException;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.store.DekStoreException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The one place where lower layers' exceptions become Connect exceptions:
 *
 * <ul>
 *   <li>bad record data or a failed decryption (including a ciphertext whose DEK is gone): {@link
 *       DataException} naming topic, partition, offset and field path;
 *   <li>registry or KMS outage and throttling: {@link RetriableException}, so Connect retries;
 *   <li>access denied, missing or misconfigured keys, or a DEK store answer that contradicts the
 *       request (another algorithm, version, subject or KEK): a non-retriable {@link
 *       ConnectException} that says what to fix.
 * </ul>
 *
 * Messages come from our own exceptions, which never carry values or key bytes.
 */
final class ConnectErrors {
  private ConnectErrors() {}

  static ConnectException map(RuntimeException failure, ConnectRecord<?> record, String action) {
    FieldPath path = null;
    RuntimeException cause = failure;
    if (failure instanceof FieldFailure fieldFailure) {
      path = fieldFailure.path();
      cause = fieldFailure.getCause() instanceof RuntimeException r ? r : failure;
    } else if (failure instanceof FieldPathException pathException) {
      path = pathException.path().orElse(null);
    }
    String where = coordinates(record) + (path == null ? "" : ", field '" + path + "'");
    if (cause instanceof ConnectException connect) {
      return connect;
    }
    if (cause instanceof DekStoreException registry) {
      return forRegistry(registry, action, where);
    }
    if (cause instanceof KmsException kms) {
      return kms.isRetriable()
          ? new RetriableException(
              "KMS unavailable while " + action + " " + where + ": " + kms.getMessage(), kms)
          : new ConnectException(
              "KMS error while " + action + " " + where + ": " + kms.getMessage(), kms);
    }
    if (cause instanceof DekStoreAnswerException refused) {
      // The store holds the wrong key until someone fixes it: retrying cannot help, and the
      // record is fine, so neither a retry nor a DataException (which error tolerance may skip).
      return new ConnectException(
          "Cannot " + verb(action) + " " + where + ": " + refused.getMessage(), refused);
    }
    if (cause instanceof MissingDekException missing) {
      return new DataException(
          "Cannot " + verb(action) + " " + where + ": " + missing.getMessage());
    }
    if (cause instanceof DekException dek) {
      return new ConnectException(
          "Cannot " + verb(action) + " " + where + ": " + dek.getMessage(), dek);
    }
    if (cause instanceof CryptoException
        || cause instanceof CodecException
        || cause instanceof FieldPathException
        || cause instanceof FieldFailure) {
      return new DataException("Cannot " + verb(action) + " " + where + ": " + cause.getMessage());
    }
    return new DataException(
        "Cannot " + verb(action) + " " + where + ": " + cause.getClass().getSimpleName(), cause);
  }

  private static ConnectException forRegistry(DekStoreException e, String action, String where) {
    return switch (e.kind()) {
      case UNAVAILABLE ->
          new RetriableException(
              "DEK registry unavailable while " + action + " " + where + ": " + e.getMessage(), e);
      case ACCESS_DENIED ->
          new ConnectException(
              "DEK registry denied access (HTTP "
                  + e.status()
                  + ") while "
                  + action
                  + " "
                  + where
                  + ": check basic.auth.user.info / bearer.auth.token and the registry's ACLs",
              e);
      default ->
          new ConnectException(
              "DEK registry rejected a request while "
                  + action
                  + " "
                  + where
                  + ": "
                  + e.getMessage(),
              e);
    };
  }

  private static String verb(String action) {
    return action.endsWith("ing") ? action.substring(0, action.length() - 3) : action;
  }

  /** topic, partition and offset; source records have no offset yet. */
  static String coordinates(ConnectRecord<?> record) {
    StringBuilder s = new StringBuilder("record in topic '").append(record.topic()).append("'");
    s.append(", partition ")
        .append(record.kafkaPartition() == null ? "unassigned" : record.kafkaPartition());
    if (record instanceof SinkRecord sink) {
      s.append(", offset ").append(sink.kafkaOffset());
    } else {
      s.append(", offset not yet assigned (source record)");
    }
    return s.toString();
  }
}
