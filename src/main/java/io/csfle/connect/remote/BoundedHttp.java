package io.csfle.connect.remote;

import java.io.IOException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one HTTP request with a hard bound on the whole exchange (connect, headers and body) and a
 * cap on the body it keeps in memory.
 *
 * <p>Why not {@code HttpClient.send} with {@link HttpRequest#timeout}: that timeout ends when the
 * response headers arrive, so a server that sends headers and then stalls (or trickles a body, or
 * streams one forever) keeps the calling thread as long as it likes, and {@code
 * BodyHandlers.ofByteArray()} reads a body of any size into memory. Here the request is sent with
 * {@code sendAsync} and awaited for at most the bound; on timeout or interrupt the future is
 * cancelled and the body subscription too, which on Java 17 closes the connection (measured: the
 * server sees the client hang up at once, and no thread stays blocked, as the JDK client reads
 * without blocking threads).
 *
 * <p>Bodies of 2xx responses larger than {@link Limits#body()} fail fast with {@link
 * BodyTooLargeException}: up front when the {@code Content-Length} says so, else as soon as the
 * bytes received pass the limit; the rest is never read. Bodies of other responses (errors,
 * redirects) are only ever used for a message, so they are cut to {@link Limits#errorBody()} bytes
 * instead, keeping the status for the caller to classify (a 503 with a huge HTML page is still a
 * 503).
 *
 * <p>Exception messages may carry server text (the JDK quotes an invalid status line); callers put
 * them through {@link SecretScrubber#serverText} or {@link ScrubbedException#of}.
 */
public final class BoundedHttp {

  /**
   * Caps on what a response may make us hold in memory.
   *
   * @param body largest body of a 2xx response; a larger one is refused
   * @param errorBody bytes kept of any other response's body; the rest is dropped unread
   */
  public record Limits(long body, int errorBody) {
    public Limits {
      if (body < 0 || errorBody < 0) {
        throw new IllegalArgumentException("limits must not be negative");
      }
    }
  }

  private BoundedHttp() {}

  /**
   * Sends {@code request} and returns the whole response, or fails within {@code bound}.
   *
   * @throws HttpTimeoutException when the whole exchange did not complete within {@code bound} (the
   *     exchange is aborted), or the JDK's own request timeout fired first
   * @throws BodyTooLargeException when a 2xx body is larger than {@code limits.body()}
   * @throws IOException any other transport or protocol failure
   * @throws InterruptedException when the calling thread is interrupted (the exchange is aborted)
   */
  public static HttpResponse<byte[]> send(
      HttpClient client, HttpRequest request, Duration bound, Limits limits)
      throws IOException, InterruptedException {
    CappedBodyHandler handler = new CappedBodyHandler(request.uri(), limits);
    CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, handler);
    long boundMs = Math.max(1, bound.toMillis());
    try {
      return exchange.get(boundMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      abort(exchange, handler);
      throw new HttpTimeoutException(
          "no complete response from " + where(request.uri()) + " within " + boundMs + " ms");
    } catch (InterruptedException e) {
      abort(exchange, handler);
      throw e;
    } catch (ExecutionException e) {
      throw failure(e.getCause(), request.uri());
    } catch (CancellationException e) {
      throw new IOException("exchange with " + where(request.uri()) + " was cancelled", e);
    }
  }

  /** The URL for messages: scheme, host, port and path, never user info, query or fragment. */
  public static String where(URI uri) {
    StringBuilder s = new StringBuilder();
    s.append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() >= 0) {
      s.append(':').append(uri.getPort());
    }
    return s.append(uri.getRawPath() == null ? "" : uri.getRawPath()).toString();
  }

  private static void abort(
      CompletableFuture<HttpResponse<byte[]>> exchange, CappedBodyHandler handler) {
    // Cancelling the future aborts the exchange (connection closed) on Java 16+; cancelling the
    // body subscription does the same once the body is being read. Both are cheap; do both.
    exchange.cancel(true);
    handler.abort();
  }

  private static IOException failure(Throwable cause, URI uri) {
    Throwable t = cause;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BodyTooLargeException tooLarge) {
        return tooLarge;
      }
    }
    if (t instanceof IOException io) {
      return io;
    }
    // The JDK lets some parse errors out unchecked (a non-numeric Content-Length, say).
    return new ProtocolException(
        "invalid response from " + where(uri) + " (" + t.getClass().getSimpleName() + ")");
  }
}
