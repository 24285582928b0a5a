package io.csfle.connect.fieldcrypto;

import io.csfle.connect.field.FieldPathException;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.store.DekStoreException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The one place where lower layers' exceptions become Connect exceptions, by their {@link
 * FailureKind}:
 *
 * <ul>
 *   <li>{@link FailureKind#RECORD}: {@link DataException} naming the record and field path (or
 *       header name);
 *   <li>{@link FailureKind#OUTAGE}: {@link RetriableException}, so Connect retries;
 *   <li>access denied, misconfigured keys, or a DEK store answer that contradicts the request: a
 *       non-retriable {@link ConnectException} that says what to fix;
 *   <li>{@link FailureKind#UNEXPECTED}: {@link DataException} naming only the exception's class.
 * </ul>
 *
 * Messages come from our own exceptions, which never carry values or key bytes.
 */
public final class ConnectErrors {
  private ConnectErrors() {}

  /**
   * The Connect exception for {@code failure}.
   *
   * @param record where it happened, e.g. {@link #coordinates}
   * @param action what was being done, ending in "ing": "encrypting", "re-encrypting"
   */
  public static ConnectException map(RuntimeException failure, String record, String action) {
    String where = record + pathOf(failure);
    RuntimeException cause = FieldCryptoException.rootOf(failure);
    String cannot = "Cannot " + verb(action) + " " + where + ": ";
    return switch (FailureKind.of(failure)) {
      case RECORD -> new DataException(cannot + cause.getMessage());
      case OUTAGE, ACCESS_DENIED, CONFIGURATION -> service(cause, action, where, cannot);
      case STORE_ANSWER -> new ConnectException(cannot + cause.getMessage(), cause);
      case UNEXPECTED -> new DataException(cannot + cause.getClass().getSimpleName(), cause);
    };
  }

  /** Outages and refusals of the DEK store or KMS, and our own keys' configuration problems. */
  private static ConnectException service(
      RuntimeException cause, String action, String where, String cannot) {
    if (cause instanceof DekStoreException store) {
      return forStore(store, action, where);
    }
    if (cause instanceof KmsException kms) {
      return kms.isRetriable()
          ? new RetriableException(
              "KMS unavailable while " + action + " " + where + ": " + kms.getMessage(), kms)
          : new ConnectException(
              "KMS error while " + action + " " + where + ": " + kms.getMessage(), kms);
    }
    if (cause instanceof ConnectException connect) {
      return connect;
    }
    return new ConnectException(cannot + cause.getMessage(), cause);
  }

  private static ConnectException forStore(DekStoreException e, String action, String where) {
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

  private static String pathOf(RuntimeException failure) {
    Object path = null;
    if (failure instanceof FieldCryptoException field) {
      if (field.header() != null) {
        return ", header '" + field.header() + "'";
      }
      path = field.path();
    } else if (failure instanceof FieldPathException pathException) {
      path = pathException.path().orElse(null);
    }
    return path == null ? "" : ", field '" + path + "'";
  }

  private static String verb(String action) {
    return action.endsWith("ing") ? action.substring(0, action.length() - 3) : action;
  }

  /** topic, partition and offset; source records have no offset yet. */
  public static String coordinates(ConnectRecord<?> record) {
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
