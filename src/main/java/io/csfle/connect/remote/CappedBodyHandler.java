package io.csfle.connect.remote;

import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a body into memory up to a limit: a 2xx body past {@link BoundedHttp.Limits#body()} fails
 * with {@link BodyTooLargeException} (checked against {@code Content-Length} before a byte is read,
 * then counted as bytes arrive); any other body is cut at {@link BoundedHttp.Limits#errorBody()}.
 * Either way the subscription is cancelled, which closes the connection, so the rest is never read.
 * Remembers the subscriber it made so that {@link BoundedHttp} can abort it on timeout.
 */
final class CappedBodyHandler implements HttpResponse.BodyHandler<byte[]> {
  private final String where;
  private final BoundedHttp.Limits limits;
  private volatile CappedSubscriber subscriber;
  private volatile boolean aborted;

  CappedBodyHandler(URI uri, BoundedHttp.Limits limits) {
    this.where = BoundedHttp.where(uri);
    this.limits = limits;
  }

  @Override
  public BodySubscriber<byte[]> apply(ResponseInfo info) {
    int status = info.statusCode();
    boolean success = status >= 200 && status < 300;
    long limit = success ? limits.body() : limits.errorBody();
    CappedSubscriber made = new CappedSubscriber(where, status, limit, !success);
    Optional<String> declared = info.headers().firstValue("Content-Length");
    if (declared.isPresent()) {
      long length = parseLength(declared.get());
      if (length < 0) {
        // Not echoed: the header value is server text.
        made.fail(new ProtocolException("invalid Content-Length header from " + where));
      } else if (success && length > limit) {
        made.fail(new BodyTooLargeException(where, status, limit, length));
      }
    }
    subscriber = made;
    if (aborted) {
      made.abort();
    }
    return made;
  }

  void abort() {
    aborted = true;
    CappedSubscriber current = subscriber;
    if (current != null) {
      current.abort();
    }
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static final class CappedSubscriber implements BodySubscriber<byte[]> {
    private final String where;
    private final int status;
    private final long limit;
    private final boolean truncate;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;

    CappedSubscriber(String where, int status, long limit, boolean truncate) {
      this.where = where;
      this.status = status;
      this.limit = limit;
      this.truncate = truncate;
    }

    void fail(Exception e) {
      result.completeExceptionally(e);
      cancel();
    }

    void abort() {
      fail(new java.net.http.HttpTimeoutException("exchange with " + where + " aborted"));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (result.isDone()) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        cancel();
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int n = buffer.remaining();
        long room = limit - received.size();
        if (n > room) {
          if (truncate) {
            copy(buffer, (int) room);
            result.complete(received.toByteArray());
            cancel();
          } else {
            fail(new BodyTooLargeException(where, status, limit, -1));
          }
          return;
        }
        copy(buffer, n);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(received.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    private void copy(ByteBuffer buffer, int n) {
      byte[] bytes = new byte[n];
      buffer.get(bytes);
      received.write(bytes, 0, n);
    }

    private void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }
}
