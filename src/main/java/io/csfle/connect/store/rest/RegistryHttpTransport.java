package io.csfle.connect.store.rest;

import io.csfle.connect.remote.BodyTooLargeException;
import io.csfle.connect.remote.BoundedHttp;
import io.csfle.connect.remote.JdkWireLogs;
import io.csfle.connect.remote.ScrubbedException;
import io.csfle.connect.remote.SecretScrubber;
import io.csfle.connect.store.DekStoreException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one registry request, surviving what a client should survive: connection failures, timeouts
 * and 5xx move on to the next base URL; once every URL has been tried, the request is retried after
 * an exponential backoff with jitter, up to {@code maxRetries} times. 408 and 429 say the server is
 * alive but busy, so they wait and retry the same URL. The URL that last answered is tried first
 * next time.
 *
 * <p>Every other status is returned to the caller, which knows what 404 or 409 means for its call,
 * except 401/403, which mean the same everywhere ({@link DekStoreException.Kind#ACCESS_DENIED}),
 * and 3xx: redirects are never followed (credentials must not travel to an address nobody
 * configured), so a redirect is a {@link DekStoreException.Kind#REJECTED} error that does not quote
 * its {@code Location}. Request bodies hold key material: they are never logged or put in an
 * exception.
 *
 * <p><b>Every call returns within a bound.</b> One attempt (one URL) is cut off after {@code
 * connectTimeout + requestTimeout}, headers and body included ({@link BoundedHttp}); a timed-out
 * attempt is an outage like any other and moves on. A whole call therefore returns within {@code
 * (maxRetries + 1) × baseUrls × (connectTimeout + requestTimeout) + maxRetries × maxBackoff}: with
 * the defaults and one URL, 4 × 40 s + 3 × 5 s = 175 s; with {@code http.read.timeout.ms=500},
 * {@code http.connect.timeout.ms=500}, one retry and one URL, about 2 s plus one backoff.
 *
 * <p><b>Bodies are capped</b> ({@link #ENTITY_BODY_LIMIT}, {@link #LIST_BODY_LIMIT}, {@link
 * #ERROR_BODY_LIMIT}); a success body past its cap is refused unread as a {@code REJECTED}
 * misbehaving server, never retried. <b>Server text</b> (error messages, transport failures that
 * quote the server) reaches messages and logs only through {@link RegistryClientConfig#scrubber()},
 * which removes the configured credentials before cutting the text short.
 *
 * <p>Retrying a POST is safe for this API: if the first attempt was applied, the retry answers 409
 * and the caller re-reads, which is what it does when another writer wins.
 */
final class RegistryHttpTransport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryHttpTransport.class);

  /** Bytes kept of a non-2xx body, which only ever yields a message cut to 300 characters. */
  static final int ERROR_BODY_LIMIT = 64 * 1024;

  /**
   * Largest body of an answer about one KEK or DEK (also create, update, delete). A DEK answer is
   * under 2 KB and a KEK with its {@code kmsProps} and {@code doc} a few KB; 256 KiB leaves two
   * orders of magnitude for any honest server.
   */
  static final BoundedHttp.Limits ENTITY_BODY_LIMIT =
      new BoundedHttp.Limits(256 * 1024, ERROR_BODY_LIMIT);

  /**
   * Largest body of a list (KEK names, DEK subjects, versions): the admin tool lists every subject
   * of a KEK, and 64 MiB holds a million subject names of about 60 characters. A registry with far
   * more than that needs a paged API, not a bigger cap: the list is held in memory twice (bytes,
   * then strings).
   */
  static final BoundedHttp.Limits LIST_BODY_LIMIT =
      new BoundedHttp.Limits(64L * 1024 * 1024, ERROR_BODY_LIMIT);

  /** A response the caller must interpret: status and raw body (possibly empty). */
  record Response(int status, byte[] body) {}

  private final RegistryClientConfig config;
  private final HttpClient client;
  private final SecretScrubber scrubber;
  private final Duration attemptBound;
  private final RegistryRequests requests;
  private final RegistryRetryBackoff backoff;
  private final AtomicInteger preferredUrl = new AtomicInteger();
  private volatile boolean closed;

  RegistryHttpTransport(RegistryClientConfig config) {
    JdkWireLogs.keepQuiet();
    this.config = config;
    this.scrubber = config.scrubber();
    this.attemptBound = config.connectTimeout().plus(config.requestTimeout());
    this.requests = new RegistryRequests(config);
    this.backoff = new RegistryRetryBackoff(config.initialBackoff(), config.maxBackoff());
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            // Plain HTTP/1.1: no h2c upgrade dance with proxies or older registry front-ends.
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Sends {@code method pathAndQuery} (already URL-encoded, starting with {@code /}) with an
   * optional JSON body and returns the first non-retriable response; the body of a 2xx answer may
   * be at most {@link #ENTITY_BODY_LIMIT} long.
   *
   * @throws DekStoreException ACCESS_DENIED on 401/403, REJECTED on a redirect or an oversize body,
   *     UNAVAILABLE when retries and URLs are exhausted, the thread is interrupted, or the client
   *     is closed
   */
  Response send(String method, String pathAndQuery, byte[] body) {
    return send(method, pathAndQuery, body, ENTITY_BODY_LIMIT);
  }

  /**
   * As {@link #send(String, String, byte[])} for a list, whose body may be {@link
   * #LIST_BODY_LIMIT}.
   */
  Response sendForList(String method, String pathAndQuery) {
    return send(method, pathAndQuery, null, LIST_BODY_LIMIT);
  }

  private Response send(
      String method, String pathAndQuery, byte[] body, BoundedHttp.Limits limits) {
    int urlCount = config.baseUrls().size();
    Failure last = null;
    for (int attempt = 0; ; attempt++) {
      int start = preferredUrl.get();
      for (int i = 0; i < urlCount; i++) {
        int index = (start + i) % urlCount;
        Outcome outcome = exchange(index, method, pathAndQuery, body, limits);
        if (outcome.response != null && !isRetriable(outcome.response.status())) {
          preferredUrl.set(index);
          return checkStatus(outcome.response, index, method, pathAndQuery);
        }
        last = outcome.failure;
        log.debug(
            "DEK registry {} {} at {} failed (attempt {}): {}",
            method,
            pathAndQuery,
            config.baseUrls().get(index),
            attempt + 1,
            last.description);
        if (outcome.response != null && isThrottled(outcome.response.status())) {
          // Alive but busy: come back to this URL after the backoff rather than fail over.
          preferredUrl.set(index);
          break;
        }
      }
      if (attempt >= config.maxRetries()) {
        throw new DekStoreException(
            DekStoreException.Kind.UNAVAILABLE,
            last.status,
            "DEK registry unavailable: "
                + method
                + " "
                + pathAndQuery
                + " failed after "
                + (attempt + 1)
                + " attempt(s) on "
                + config.baseUrls()
                + "; last error: "
                + last.description,
            last.cause);
      }
      backoff.await(attempt + 1, method, pathAndQuery);
    }
  }

  @Override
  public void close() {
    // java.net.http.HttpClient has no close() before Java 21; its threads are daemons that end
    // once the client is unreachable. We only refuse further requests.
    closed = true;
  }

  private Outcome exchange(
      int index, String method, String pathAndQuery, byte[] body, BoundedHttp.Limits limits) {
    if (closed) {
      throw new DekStoreException(
          DekStoreException.Kind.UNAVAILABLE, 0, "DEK registry client is closed");
    }
    String baseUrl = config.baseUrls().get(index);
    try {
      HttpResponse<byte[]> response =
          BoundedHttp.send(
              client, requests.build(index, method, pathAndQuery, body), attemptBound, limits);
      Response result = new Response(response.statusCode(), response.body());
      return new Outcome(result, isRetriable(result.status()) ? httpFailure(result) : null);
    } catch (BodyTooLargeException e) {
      // An honest registry never sends this much: refuse it now rather than try every URL again.
      throw new DekStoreException(
          DekStoreException.Kind.REJECTED,
          e.status(),
          "DEK registry misbehaves: "
              + method
              + " "
              + pathAndQuery
              + " at "
              + baseUrl
              + " answered with a body over the limit of "
              + e.limit()
              + " bytes; refused without reading the rest");
    } catch (HttpTimeoutException e) {
      return new Outcome(null, new Failure(0, "timed out: " + e.getMessage(), e));
    } catch (IOException e) {
      // The JDK quotes the server in some messages (an invalid status line): scrub, keep no raw
      // cause.
      return new Outcome(null, new Failure(0, describe(e), ScrubbedException.of(e, scrubber)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DekStoreException(
          DekStoreException.Kind.UNAVAILABLE,
          0,
          "Interrupted during DEK registry " + method + " " + pathAndQuery,
          e);
    }
  }

  private String describe(IOException e) {
    String name = e.getClass().getSimpleName();
    return e.getMessage() == null ? name : name + ": " + scrubber.serverText(e.getMessage());
  }

  private Response checkStatus(Response response, int index, String method, String pathAndQuery) {
    int status = response.status();
    if (status >= 300 && status < 400) {
      // Location is not quoted: it may carry user info, and nobody configured it.
      throw new DekStoreException(
          DekStoreException.Kind.REJECTED,
          status,
          "DEK registry at "
              + config.baseUrls().get(index)
              + " answered "
              + method
              + " "
              + pathAndQuery
              + " with a redirect (HTTP "
              + status
              + "); redirects are never followed, so that credentials go only to configured"
              + " URLs: configure the registry's final address");
    }
    if (status == 401 || status == 403) {
      throw new DekStoreException(
          DekStoreException.Kind.ACCESS_DENIED,
          status,
          "DEK registry at "
              + config.baseUrls().get(index)
              + " denied "
              + method
              + " "
              + pathAndQuery
              + " (HTTP "
              + status
              + serverMessage(response)
              + "); check basic.auth.* / bearer.auth.* credentials and their permissions");
    }
    return response;
  }

  private Failure httpFailure(Response response) {
    return new Failure(
        response.status(), "HTTP " + response.status() + serverMessage(response), null);
  }

  /** ": " and the server's error message, scrubbed and cut; empty when it sent none. */
  String serverMessage(Response response) {
    String message = RegistryJson.errorMessage(response.body());
    return message == null ? "" : ": " + scrubber.serverText(message);
  }

  /** The scrubber for any other server text a caller puts in a message. */
  SecretScrubber scrubber() {
    return scrubber;
  }

  private static boolean isRetriable(int status) {
    return isThrottled(status) || status >= 500;
  }

  private static boolean isThrottled(int status) {
    return status == 408 || status == 429;
  }

  /** Either a response, or a failure, or both (a retriable response). */
  private record Outcome(Response response, Failure failure) {}

  private record Failure(int status, String description, Throwable cause) {}
}
