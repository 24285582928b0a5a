package io.csfle.connect.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryingKekTest {
  private final List<Long> sleeps = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();

  private Kek failing(int failures, KmsException.Reason reason) {
    return new Kek() {
      @Override
      public byte[] wrap(byte[] keyMaterial) {
        if (calls.incrementAndGet() <= failures) {
          throw new KmsException(reason, "failure " + calls.get());
        }
        return new byte[] {1};
      }

      @Override
      public byte[] unwrap(byte[] encrypted) {
        return wrap(encrypted);
      }
    };
  }

  private Kek retrying(Kek kek) {
    return new RetryingKek(kek, new KmsRetryPolicy(4, 100, 300), sleeps::add);
  }

  @Test
  void outageThenSuccess_isRetriedWithGrowingJitteredBackoff() {
    assertThat(retrying(failing(3, KmsException.Reason.UNAVAILABLE)).wrap(new byte[0]))
        .containsExactly(1);
    assertThat(calls.get()).isEqualTo(4);
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(0L, 100L);
    assertThat(sleeps.get(1)).isBetween(0L, 200L);
    assertThat(sleeps.get(2)).isBetween(0L, 300L);
  }

  @Test
  void persistentOutage_givesUpAfterMaxAttemptsAsUnavailable() {
    assertThatThrownBy(
            () -> retrying(failing(10, KmsException.Reason.UNAVAILABLE)).unwrap(new byte[0]))
        .isInstanceOf(KmsException.class)
        .satisfies(e -> assertThat(((KmsException) e).isRetriable()).isTrue());
    assertThat(calls.get()).isEqualTo(4);
  }

  @Test
  void accessDenied_isNotRetried() {
    assertThatThrownBy(
            () -> retrying(failing(1, KmsException.Reason.ACCESS_DENIED)).wrap(new byte[0]))
        .isInstanceOf(KmsException.class);
    assertThat(calls.get()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void providersTable_composesTheRetryAroundEveryKek() {
    KekProvider flaky =
        new KekProvider() {
          @Override
          public String kmsType() {
            return "flaky-kms";
          }

          @Override
          public Kek create(String kmsKeyId, java.util.Map<String, String> properties) {
            return failing(2, KmsException.Reason.UNAVAILABLE);
          }
        };
    Kek kek =
        KekProviders.of(flaky)
            .withRetryPolicy(new KmsRetryPolicy(3, 0, 0))
            .create("flaky-kms", "id", java.util.Map.of());
    assertThat(kek.wrap(new byte[0])).containsExactly(1);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void listener_hearsEachLogicalCallOnceWithItsFinalOutcome() {
    List<String> heard = new ArrayList<>();
    Kek kek =
        KekProviders.of(
                new KekProvider() {
                  @Override
                  public String kmsType() {
                    return "flaky-kms";
                  }

                  @Override
                  public Kek create(String kmsKeyId, java.util.Map<String, String> properties) {
                    return failing(1, KmsException.Reason.UNAVAILABLE);
                  }
                })
            .withRetryPolicy(new KmsRetryPolicy(2, 0, 0))
            .withListener(
                (type, operation, nanos, failure) ->
                    heard.add(type + " " + operation + " " + (failure == null ? "ok" : "failed")))
            .create("flaky-kms", "id", java.util.Map.of());

    kek.wrap(new byte[0]);

    assertThat(heard).containsExactly("flaky-kms wrap ok");
  }
}
