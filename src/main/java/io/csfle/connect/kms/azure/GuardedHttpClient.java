package io.csfle.connect.kms.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import io.csfle.connect.kms.KekAnswers;
import io.csfle.connect.remote.SecretScrubber;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The HTTP client under the Azure SDK (Key Vault calls and Entra ID token requests alike), guarding
 * it against the server's answers. The JDK client's own timeouts bound connecting, the wait for the
 * headers and each read, but not the whole body: a server dripping a byte at a time holds a call
 * forever. So each exchange here, body included, is given {@code timeout} in all and is abandoned
 * (its subscription cancelled) when it runs out; the SDK's eager body read is replaced by a read
 * that stops past {@code maxBytes}; and error answers (300 and up) are scrubbed of the credentials
 * and of the request's base64 values (the key material of an encrypt) before the SDK parses and
 * logs them.
 */
final class GuardedHttpClient implements HttpClient {
  /** Turns the SDK's eager read off, so the body is read here, capped. */
  private static final String EAGERLY_READ = "azure-eagerly-read-response";

  private static final Pattern BASE64_VALUE = Pattern.compile("\"([A-Za-z0-9+/_=-]{16,})\"");

  /** An answer body passed the cap. */
  static final class AnswerTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    AnswerTooLargeException(long maxBytes) {
      super("the answer body is larger than " + maxBytes + " bytes");
    }
  }

  private final HttpClient delegate;
  private final Duration timeout;
  private final long maxBytes;
  private final Supplier<SecretScrubber> secrets;

  GuardedHttpClient(
      HttpClient delegate, Duration timeout, long maxBytes, Supplier<SecretScrubber> secrets) {
    this.delegate = delegate;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.secrets = secrets;
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request) {
    return send(request, Context.NONE);
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request, Context context) {
    return delegate
        .send(request, context.addData(EAGERLY_READ, false))
        .flatMap(response -> buffered(request, response))
        .timeout(
            timeout,
            Mono.error(
                () ->
                    new UncheckedIOException(
                        new IOException(
                            "no complete answer within " + timeout.toMillis() + " ms",
                            new TimeoutException()))));
  }

  @Override
  public HttpResponse sendSync(HttpRequest request, Context context) {
    return send(request, context).block();
  }

  private Mono<HttpResponse> buffered(HttpRequest request, HttpResponse response) {
    String declared = response.getHeaderValue("Content-Length");
    if (declared != null && parse(declared) > maxBytes) {
      response.close();
      return Mono.error(new UncheckedIOException(new AnswerTooLargeException(maxBytes)));
    }
    return response
        .getBody()
        .reduce(
            new ByteArrayOutputStream(),
            (out, buffer) -> {
              if (out.size() + (long) buffer.remaining() > maxBytes) {
                throw new UncheckedIOException(new AnswerTooLargeException(maxBytes));
              }
              byte[] chunk = new byte[buffer.remaining()];
              buffer.get(chunk);
              out.write(chunk, 0, chunk.length);
              return out;
            })
        .defaultIfEmpty(new ByteArrayOutputStream())
        .map(
            out -> {
              byte[] body = out.toByteArray();
              if (response.getStatusCode() >= 300) {
                body = scrubbed(request, body);
              }
              return new Answer(request, response, body);
            });
  }

  private byte[] scrubbed(HttpRequest request, byte[] body) {
    SecretScrubber scrubber = secrets.get();
    byte[] sent =
        request.getBodyAsBinaryData() == null ? null : request.getBodyAsBinaryData().toBytes();
    if (sent != null) {
      Matcher value = BASE64_VALUE.matcher(new String(sent, StandardCharsets.UTF_8));
      while (value.find()) {
        scrubber = scrubber.and(SecretScrubber.of(value.group(1)));
        try {
          scrubber =
              scrubber.and(KekAnswers.scrubberFor(Base64.getUrlDecoder().decode(value.group(1))));
        } catch (IllegalArgumentException e) {
          // Not base64url after all: its text form is scrubbed already.
        }
      }
    }
    return scrubber
        .scrub(new String(body, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long parse(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** An answer read whole (within the cap). */
  private static final class Answer extends HttpResponse {
    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;

    Answer(HttpRequest request, HttpResponse original, byte[] body) {
      super(request);
      this.status = original.getStatusCode();
      this.headers = new HttpHeaders(original.getHeaders());
      headers.set(com.azure.core.http.HttpHeaderName.CONTENT_LENGTH, Integer.toString(body.length));
      this.body = body;
      original.close();
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    @SuppressWarnings("deprecation")
    public String getHeaderValue(String name) {
      return headers.getValue(name);
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    @Override
    public Flux<ByteBuffer> getBody() {
      return Flux.defer(() -> Flux.just(ByteBuffer.wrap(body).asReadOnlyBuffer()));
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
      return Mono.fromSupplier(body::clone);
    }

    @Override
    public Mono<String> getBodyAsString() {
      return getBodyAsString(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
      return Mono.fromSupplier(() -> new String(body, charset));
    }

    @Override
    public HttpResponse buffer() {
      return this;
    }
  }
}
