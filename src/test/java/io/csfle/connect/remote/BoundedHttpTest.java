package io.csfle.connect.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.testing.MisbehavingHttpServer;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One exchange, bounded in time and size, against a server that misbehaves byte by byte. Each abort
 * is shown from the server's side too: it sees the client hang up, so the exchange really ended and
 * nothing is left reading.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BoundedHttpTest {
  private static final BoundedHttp.Limits LIMITS = new BoundedHttp.Limits(1024, 100);
  private static final Duration BOUND = Duration.ofMillis(300);

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();
  private MisbehavingHttpServer server;

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void stallAfterHeaders_timesOutWithinBoundAndHangsUp() throws Exception {
    // HttpRequest.timeout alone ends when the headers arrive: this body would be awaited forever.
    server = MisbehavingHttpServer.http((req, c) -> c.head(200, "Content-Length: 10").stall());
    HttpRequest request = get("/x").timeout(Duration.ofSeconds(60)).build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> BoundedHttp.send(client, request, BOUND, LIMITS))
        .isInstanceOf(HttpTimeoutException.class)
        .hasMessageContaining("within 300 ms")
        .hasMessageContaining(server.url() + "/x");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMs).isLessThan(3_000);
    assertThat(server.awaitHangUps(1, 5_000)).as("client closed the connection").isTrue();
  }

  @Test
  void trickledBody_timesOutAtTheBoundNotAtEachRead() throws Exception {
    server =
        MisbehavingHttpServer.http(
            (req, c) -> c.head(200, "Transfer-Encoding: chunked").chunksForever(new byte[1], 50));

    long start = System.nanoTime();
    assertThatThrownBy(() -> BoundedHttp.send(client, get("/x").build(), BOUND, LIMITS))
        .isInstanceOf(HttpTimeoutException.class);

    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
    assertThat(server.awaitHangUps(1, 5_000)).isTrue();
  }

  @Test
  void interrupted_abortsTheExchange() throws Exception {
    server = MisbehavingHttpServer.http((req, c) -> c.head(200, "Content-Length: 10").stall());
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                BoundedHttp.send(client, get("/x").build(), Duration.ofSeconds(60), LIMITS);
                outcome.complete(null);
              } catch (Exception e) {
                outcome.complete(e);
              }
            });
    caller.start();
    while (server.requests().isEmpty()) {
      Thread.sleep(10);
    }

    caller.interrupt();

    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(server.awaitHangUps(1, 5_000)).isTrue();
  }

  @Test
  void contentLengthOverLimit_refusedBeforeReading() throws Exception {
    long fifty = 50L << 20;
    server =
        MisbehavingHttpServer.http(
            (req, c) -> c.head(200, "Content-Length: " + fifty).flood(fifty, (byte) 'a'));

    assertThatThrownBy(() -> BoundedHttp.send(client, get("/x?token=t0k").build(), BOUND, LIMITS))
        .isInstanceOfSatisfying(
            BodyTooLargeException.class,
            e -> {
              assertThat(e.limit()).isEqualTo(1024);
              assertThat(e.status()).isEqualTo(200);
              assertThat(e.getMessage())
                  .contains("announces " + fifty + " bytes", "limit of 1024 bytes")
                  .contains(server.url() + "/x")
                  .doesNotContain("t0k");
            });
    assertThat(server.awaitHangUps(1, 5_000)).isTrue();
    assertThat(server.bytesWritten()).isLessThan(fifty / 2);
  }

  @Test
  void endlessBodyWithoutLength_refusedOnceCountedPastLimit() throws Exception {
    server =
        MisbehavingHttpServer.http(
            (req, c) -> c.head(200, "Transfer-Encoding: chunked").chunksForever(new byte[512], 0));

    assertThatThrownBy(() -> BoundedHttp.send(client, get("/x").build(), BOUND, LIMITS))
        .isInstanceOfSatisfying(
            BodyTooLargeException.class,
            e -> assertThat(e.getMessage()).contains("goes past the limit of 1024 bytes"));
    assertThat(server.awaitHangUps(1, 5_000)).isTrue();
  }

  @Test
  void bodyAtTheLimit_returnedWhole() throws Exception {
    server = MisbehavingHttpServer.http((req, c) -> c.respond(200, "text/plain", "b".repeat(1024)));

    HttpResponse<byte[]> response = BoundedHttp.send(client, get("/x").build(), BOUND, LIMITS);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).hasSize(1024);
  }

  @Test
  void errorBodyOverItsLimit_cutAndStatusKept() throws Exception {
    server =
        MisbehavingHttpServer.http((req, c) -> c.respond(503, "text/html", "e".repeat(1 << 20)));

    HttpResponse<byte[]> response = BoundedHttp.send(client, get("/x").build(), BOUND, LIMITS);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).hasSize(100);
  }

  @Test
  void nonNumericContentLength_protocolErrorNotQuotingIt() throws Exception {
    server =
        MisbehavingHttpServer.http(
            (req, c) -> c.write("HTTP/1.1 200 OK\r\nContent-Length: s3cr3t-echo\r\n\r\n"));

    assertThatThrownBy(() -> BoundedHttp.send(client, get("/x").build(), BOUND, LIMITS))
        .isInstanceOf(ProtocolException.class)
        .message()
        .doesNotContain("s3cr3t");
  }

  @Test
  void where_dropsUserInfoQueryAndFragment() {
    assertThat(BoundedHttp.where(URI.create("https://u:pw@host:8081/a/b?token=x#f")))
        .isEqualTo("https://host:8081/a/b");
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(server.url() + path)).GET();
  }
}
