package io.csfle.connect.fieldcrypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.dek.DekException;
import io.csfle.connect.dek.DekStoreAnswerException;
import io.csfle.connect.dek.MissingDekException;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldPathException;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.store.DekStoreException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The one mapping of failures to Connect exceptions, with the messages operators read. */
class ConnectErrorsTest {
  private static final String WHERE = "record in topic 'orders', partition 0, offset 7";
  private static final FieldPath EMAIL = FieldPath.parse("email");

  private static ConnectException map(RuntimeException failure) {
    return ConnectErrors.map(FieldCryptoException.of(EMAIL, failure), WHERE, "decrypting");
  }

  @Test
  void recordProblem_isADataExceptionNamingRecordAndFieldWithoutCause() {
    ConnectException e = map(new CryptoException("tag mismatch"));

    assertThat(e).isExactlyInstanceOf(DataException.class).hasNoCause();
    assertThat(e).hasMessage("Cannot decrypt " + WHERE + ", field 'email': tag mismatch");
  }

  @Test
  void missingDek_isADataException() {
    assertThat(map(new MissingDekException("version 3 is gone")))
        .isExactlyInstanceOf(DataException.class)
        .hasMessageEndingWith(": version 3 is gone");
  }

  @Test
  void pathException_namesItsOwnPath() {
    ConnectException e =
        ConnectErrors.map(
            new FieldPathException(FieldPath.parse("a.b"), "no such field"), WHERE, "encrypting");

    assertThat(e)
        .isExactlyInstanceOf(DataException.class)
        .hasMessage("Cannot encrypt " + WHERE + ", field 'a.b': no such field");
  }

  @Test
  void storeOutage_isRetriable() {
    ConnectException e =
        map(new DekStoreException(DekStoreException.Kind.UNAVAILABLE, 503, "timed out"));

    assertThat(e).isExactlyInstanceOf(RetriableException.class);
    assertThat(e)
        .hasMessage(
            "DEK registry unavailable while decrypting " + WHERE + ", field 'email': timed out");
  }

  @Test
  void storeAccessDenied_saysWhatToCheck() {
    ConnectException e = map(new DekStoreException(DekStoreException.Kind.ACCESS_DENIED, 403, "x"));

    assertThat(e).isExactlyInstanceOf(ConnectException.class);
    assertThat(e.getMessage())
        .startsWith("DEK registry denied access (HTTP 403) while decrypting " + WHERE)
        .endsWith("check basic.auth.user.info / bearer.auth.token and the registry's ACLs");
  }

  @Test
  void storeRejection_isNotRetriable() {
    assertThat(map(new DekStoreException(DekStoreException.Kind.REJECTED, 422, "bad")))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith("DEK registry rejected a request while decrypting");
  }

  @Test
  void kms_isRetriableOnlyForAnOutage() {
    assertThat(map(new KmsException(KmsException.Reason.UNAVAILABLE, "throttled")))
        .isExactlyInstanceOf(RetriableException.class)
        .hasMessageStartingWith("KMS unavailable while decrypting");
    assertThat(map(new KmsException(KmsException.Reason.ACCESS_DENIED, "denied")))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith("KMS error while decrypting");
  }

  @Test
  void storeAnswerAndDekProblems_failWithoutRetryOrDataException() {
    assertThat(map(new DekStoreAnswerException("another algorithm")))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageEndingWith("field 'email': another algorithm");
    assertThat(map(new DekException("cannot create")))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith("Cannot decrypt " + WHERE);
  }

  @Test
  void connectExceptions_otherThanRecordProblems_passAsTheyAre() {
    RetriableException retriable = new RetriableException("later");
    ConnectException refused = new ConnectException("refused");

    assertThat(map(retriable)).isSameAs(retriable);
    assertThat(map(refused)).isSameAs(refused);
  }

  @Test
  void unexpected_isADataExceptionNamingOnlyTheClass() {
    IllegalStateException bug = new IllegalStateException("secret-ish detail");

    ConnectException e = ConnectErrors.map(bug, WHERE, "re-encrypting");

    assertThat(e).isExactlyInstanceOf(DataException.class).hasCause(bug);
    assertThat(e).hasMessage("Cannot re-encrypt " + WHERE + ": IllegalStateException");
  }

  @Test
  void coordinates_nameTheOffsetOfSinkRecordsOnly() {
    SinkRecord sink = new SinkRecord("orders", 2, null, null, null, "v", 42L);
    SourceRecord source = new SourceRecord(null, null, "orders", null, null, "v");

    assertThat(ConnectErrors.coordinates(sink))
        .isEqualTo("record in topic 'orders', partition 2, offset 42");
    assertThat(ConnectErrors.coordinates(source))
        .isEqualTo(
            "record in topic 'orders', partition unassigned, offset not yet assigned (source"
                + " record)");
  }
}
