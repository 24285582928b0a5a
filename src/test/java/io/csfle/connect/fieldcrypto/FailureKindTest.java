package io.csfle.connect.fieldcrypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.codec.CodecException;
import io.csfle.connect.crypto.CryptoException;
import io.csfle.connect.dek.DekException;
import io.csfle.connect.dek.DekStoreAnswerException;
import io.csfle.connect.dek.MissingDekException;
import io.csfle.connect.field.FieldPath;
import io.csfle.connect.field.FieldPathException;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.store.DekStoreException;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

/** The one classification of failures: every lower layer's exception, bare and field-wrapped. */
class FailureKindTest {
  private static final FieldPath EMAIL = FieldPath.parse("email");

  @Test
  void recordProblems_areRecord() {
    assertKind(
        FailureKind.RECORD,
        new CryptoException("tag mismatch"),
        new CodecException("bad tag"),
        new MissingDekException("version 3 is gone"),
        new FieldPathException(EMAIL, "no such field"),
        new DataException("converter refused"),
        new FieldCryptoException(EMAIL, "value is not base64"));
  }

  @Test
  void outages_areOutage() {
    assertKind(
        FailureKind.OUTAGE,
        new DekStoreException(DekStoreException.Kind.UNAVAILABLE, 503, "down"),
        new KmsException(KmsException.Reason.UNAVAILABLE, "throttled"),
        new RetriableException("later"));
  }

  @Test
  void storeAccessDenied_isAccessDenied() {
    assertKind(
        FailureKind.ACCESS_DENIED,
        new DekStoreException(DekStoreException.Kind.ACCESS_DENIED, 403, "no"));
  }

  @Test
  void aStoreAnswerThatContradictsTheRequest_isStoreAnswer() {
    assertKind(FailureKind.STORE_ANSWER, new DekStoreAnswerException("another algorithm"));
  }

  @Test
  void keysOrSettingsWrongForEveryRecord_areConfiguration() {
    assertKind(
        FailureKind.CONFIGURATION,
        new DekStoreException(DekStoreException.Kind.REJECTED, 422, "bad request"),
        new DekStoreException(DekStoreException.Kind.NOT_FOUND, 404, "no KEK"),
        new KmsException(KmsException.Reason.ACCESS_DENIED, "denied"),
        new KmsException(KmsException.Reason.MISCONFIGURED, "bad key id"),
        new DekException("cannot create"),
        new ConnectException("refused"));
  }

  @Test
  void anythingElse_isUnexpected() {
    assertKind(
        FailureKind.UNEXPECTED, new IllegalStateException("bug"), new NullPointerException());
  }

  @Test
  void rootOf_looksPastTheFieldWrapperOnly() {
    CryptoException cause = new CryptoException("tag mismatch");
    FieldCryptoException bare = new FieldCryptoException(EMAIL, "not base64");

    assertThat(FieldCryptoException.rootOf(new FieldCryptoException(EMAIL, cause))).isSameAs(cause);
    assertThat(FieldCryptoException.rootOf(bare)).isSameAs(bare);
    assertThat(FieldCryptoException.of(EMAIL, bare)).isSameAs(bare);
  }

  /** Each failure has {@code kind} bare and wrapped with a field path. */
  private static void assertKind(FailureKind kind, RuntimeException... failures) {
    for (RuntimeException failure : List.of(failures)) {
      assertThat(FailureKind.of(failure)).as(failure.toString()).isEqualTo(kind);
      assertThat(FailureKind.of(FieldCryptoException.of(EMAIL, failure)))
          .as("wrapped " + failure)
          .isEqualTo(kind);
    }
  }
}
