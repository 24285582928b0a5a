package io.csfle.connect.store.kafka;

import io.csfle.connect.store.DekStoreException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Kafka client failures as {@link DekStoreException}s, the way the REST client reports HTTP
 * failures: not allowed → ACCESS_DENIED (not retriable, says what to fix), everything else →
 * UNAVAILABLE (retriable). Statuses are the HTTP status the REST API would have answered, or 0.
 */
final class KafkaFailures {
  private KafkaFailures() {}

  static DekStoreException map(String operation, Throwable failure) {
    Throwable cause =
        failure instanceof ExecutionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof DekStoreException registryException) {
      return registryException;
    }
    if (cause instanceof AuthorizationException || cause instanceof AuthenticationException) {
      return new DekStoreException(
          DekStoreException.Kind.ACCESS_DENIED,
          403,
          operation
              + ": not allowed by the Kafka cluster ("
              + cause.getClass().getSimpleName()
              + "); grant the DEK store's principal Read, Write and Describe on the key topic"
              + " (and Create on the cluster or topic if it must create it)",
          cause);
    }
    String reason =
        cause instanceof KafkaException || cause instanceof java.util.concurrent.TimeoutException
            ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
            : cause.toString();
    return new DekStoreException(
        DekStoreException.Kind.UNAVAILABLE, 0, operation + " failed: " + reason, cause);
  }

  static DekStoreException timeout(String operation) {
    return new DekStoreException(
        DekStoreException.Kind.UNAVAILABLE, 0, operation + " timed out on the key topic");
  }

  static DekStoreException notFound(String what) {
    return new DekStoreException(DekStoreException.Kind.NOT_FOUND, 404, what + " not found");
  }

  static DekStoreException conflict(String what) {
    return new DekStoreException(
        DekStoreException.Kind.CONFLICT, 409, what + " already exists in the key topic");
  }

  static DekStoreException rejected(String message) {
    return new DekStoreException(DekStoreException.Kind.REJECTED, 422, message);
  }
}
