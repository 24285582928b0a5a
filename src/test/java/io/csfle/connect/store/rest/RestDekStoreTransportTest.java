package io.csfle.connect.store.rest;

import static io.csfle.connect.store.StoreTestData.dek;
import static io.csfle.connect.store.StoreTestData.kek;
import static io.csfle.connect.store.rest.RegistryTestSupport.fastConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekStoreException.Kind;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.RecordedRequest;
import io.csfle.connect.store.rest.RegistryClientConfig.BasicAuthSource;
import io.csfle.connect.store.rest.RegistryClientConfig.BearerAuthSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Auth, retries, failover and timeouts of {@link RestDekStore} (server flavour irrelevant). */
class RestDekStoreTransportTest {
  private static final String KEK_PATH = "/dek-registry/v1/keks/k1";

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  // ---- auth ----

  @Test
  void basicAuthFromUserInfo_sentOnEveryRequest() {
    InMemoryDekRegistryServer server = server();
    server.requireBasicAuth("alice", "s3cret:with-colon");
    RestDekStore registry =
        registry(
            fastConfig(server.url())
                .basicAuth(BasicAuthSource.USER_INFO, "alice:s3cret:with-colon"));

    registry.createKek(kek("k1"));

    assertThat(registry.getKek("k1", false)).isPresent();
  }

  @Test
  void basicAuthFromUrl_sentAsHeaderAndStrippedFromUrl() {
    InMemoryDekRegistryServer server = server();
    server.requireBasicAuth("bob", "p@ss word");
    String url = server.url().replace("http://", "http://bob:p%40ss%20word@");
    RegistryClientConfig config =
        fastConfig(url + "/").basicAuth(BasicAuthSource.URL, null).build();
    RestDekStore registry = registry(config);

    registry.createKek(kek("k1"));

    assertThat(config.baseUrls()).containsExactly(server.url());
    assertThat(registry.getKek("k1", false)).isPresent();
  }

  @Test
  void bearerToken_sentOnEveryRequest() {
    InMemoryDekRegistryServer server = server();
    server.requireBearerToken("tok-123");
    RestDekStore registry =
        registry(fastConfig(server.url()).bearerAuth(BearerAuthSource.STATIC_TOKEN, "tok-123"));

    registry.createKek(kek("k1"));

    assertThat(server.requests())
        .extracting(RecordedRequest::authorization)
        .containsOnly("Bearer tok-123");
  }

  @Test
  void missingCredentials_accessDeniedWithoutRetry() {
    InMemoryDekRegistryServer server = server();
    server.requireBearerToken("tok-123");
    RestDekStore registry = registry(fastConfig(server.url()));

    assertThatThrownBy(() -> registry.getKek("k1", false))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.isRetriable()).isFalse();
              assertThat(e.getMessage()).contains("bearer.auth");
            });
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void wrongPassword_accessDeniedAndPasswordNotInMessage() {
    InMemoryDekRegistryServer server = server();
    server.requireBasicAuth("alice", "right");
    RestDekStore registry =
        registry(fastConfig(server.url()).basicAuth(BasicAuthSource.USER_INFO, "alice:wrong-pw"));

    assertThatThrownBy(() -> registry.createKek(kek("k1")))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
              assertThat(e.getMessage()).doesNotContain("wrong-pw");
            });
  }

  // ---- retries ----

  @ParameterizedTest
  @ValueSource(ints = {503, 500, 502, 504, 429, 408})
  void retriableStatus_retriedUntilSuccess(int status) {
    InMemoryDekRegistryServer server = server();
    RestDekStore registry = registry(fastConfig(server.url()));
    registry.createKek(kek("k1"));
    server.clearRequests();
    server.failNext(2, status);

    assertThat(registry.getKek("k1", false)).isPresent();

    assertThat(server.requestCount("GET", KEK_PATH)).isEqualTo(3);
  }

  @Test
  void retriesExhausted_unavailableWithLastStatus() {
    InMemoryDekRegistryServer server = server();
    RestDekStore registry = registry(fastConfig(server.url()).maxRetries(2));
    server.failNext(100, 503);

    assertThatThrownBy(() -> registry.getKek("k1", false))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.isRetriable()).isTrue();
              assertThat(e.getMessage()).contains("3 attempt(s)", "Injected failure");
            });
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void zeroRetries_singleAttempt() {
    InMemoryDekRegistryServer server = server();
    RestDekStore registry = registry(fastConfig(server.url()).maxRetries(0));
    server.failNext(1, 503);

    assertThatThrownBy(() -> registry.getKek("k1", false)).isInstanceOf(DekStoreException.class);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void clientErrors_notRetried() {
    InMemoryDekRegistryServer server = server();
    RestDekStore registry = registry(fastConfig(server.url()));
    registry.createKek(kek("k1"));
    registry.createDek(dek("s", 1));
    server.clearRequests();

    assertThat(registry.getKek("nope", false)).isEmpty();
    assertThatThrownBy(() -> registry.createDek(dek("s", 1))).isInstanceOf(DekStoreException.class);

    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void postRetriedAfterTimeout_appliedOnceAndReportedAsConflict() {
    InMemoryDekRegistryServer server = server();
    RestDekStore registry =
        registry(fastConfig(server.url()).requestTimeout(Duration.ofMillis(200)));
    registry.createKek(kek("k1"));
    server.delayNext(1, Duration.ofMillis(600));

    // The first POST times out on the client but is applied; the retry meets a 409, which tells
    // the caller to re-read, exactly as when another writer wins.
    assertThatThrownBy(() -> registry.createDek(dek("s", 1)))
        .isInstanceOfSatisfying(
            DekStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT));
    assertThat(registry.listDekVersions(new DekSubject("k1", "s", DekAlgorithm.AES256_GCM), false))
        .containsExactly(1);
  }

  // ---- failover ----

  @Test
  void firstUrlDown_secondServes() {
    InMemoryDekRegistryServer down = server();
    down.close();
    InMemoryDekRegistryServer up = server();
    RestDekStore registry = registry(fastConfig(down.url() + "," + up.url()));

    registry.createKek(kek("k1"));

    assertThat(registry.getKek("k1", false)).isPresent();
    assertThat(up.requestCount()).isEqualTo(2);
  }

  @Test
  void failover_remembersTheUrlThatAnswered() {
    InMemoryDekRegistryServer failing = server();
    failing.failNext(1000, 503);
    InMemoryDekRegistryServer healthy = server();
    RestDekStore registry = registry(fastConfig(failing.url() + ", " + healthy.url()));

    registry.createKek(kek("k1"));
    registry.getKek("k1", false);
    registry.getKek("k1", false);

    assertThat(failing.requestCount()).isEqualTo(1);
    assertThat(healthy.requestCount()).isEqualTo(3);
  }

  @Test
  void allUrlsDown_unavailableAfterTryingEachOncePerAttempt() {
    InMemoryDekRegistryServer a = server();
    InMemoryDekRegistryServer b = server();
    a.close();
    b.close();
    RestDekStore registry = registry(fastConfig(a.url() + "," + b.url()).maxRetries(1));

    assertThatThrownBy(() -> registry.getKek("k1", false))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
              assertThat(e.status()).isZero();
              assertThat(e.getMessage()).contains(a.url(), b.url());
            });
  }

  // ---- timeouts ----

  @Test
  void slowServer_timesOutAsUnavailable() {
    InMemoryDekRegistryServer server = server();
    server.delayNext(10, Duration.ofSeconds(2));
    RestDekStore registry =
        registry(fastConfig(server.url()).requestTimeout(Duration.ofMillis(200)).maxRetries(1));
    long start = System.nanoTime();

    assertThatThrownBy(() -> registry.getKek("k1", false))
        .isInstanceOfSatisfying(
            DekStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
              assertThat(e.getMessage()).contains("timed out");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void oneSlowResponse_retriedWithinTimeout() {
    InMemoryDekRegistryServer server = server();
    RestDekStore registry =
        registry(fastConfig(server.url()).requestTimeout(Duration.ofMillis(200)));
    registry.createKek(kek("k1"));
    server.delayNext(1, Duration.ofMillis(600));

    assertThat(registry.getKek("k1", false)).isPresent();
  }

  // ---- headers and lifecycle ----

  @Test
  void requests_carrySchemaRegistryMediaTypes() {
    InMemoryDekRegistryServer server = server();
    RestDekStore registry = registry(fastConfig(server.url()));

    registry.createKek(kek("k1"));
    registry.getKek("k1", false);

    RecordedRequest post = server.requests().get(0);
    assertThat(post.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(server.requests())
        .allSatisfy(
            r -> assertThat(r.accept()).startsWith("application/vnd.schemaregistry.v1+json"));
  }

  @Test
  void close_isIdempotentAndLaterCallsFailRetriably() {
    InMemoryDekRegistryServer server = server();
    RestDekStore registry = new RestDekStore(fastConfig(server.url()).build());

    registry.close();
    registry.close();

    assertThatThrownBy(() -> registry.getKek("k1", false))
        .isInstanceOfSatisfying(
            DekStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
    assertThat(server.requestCount()).isZero();
  }

  private InMemoryDekRegistryServer server() {
    InMemoryDekRegistryServer server = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
    resources.add(server);
    return server;
  }

  private RestDekStore registry(RegistryClientConfig.Builder config) {
    return registry(config.build());
  }

  private RestDekStore registry(RegistryClientConfig config) {
    RestDekStore registry = new RestDekStore(config);
    resources.add(0, registry);
    return registry;
  }
}
