package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.KekAnswers;
import io.csfle.connect.remote.SecretScrubber;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The HTTP client under the AWS SDK, guarding it against the server's answers.
 *
 * <ul>
 *   <li>At most {@code maxBytes} of any answer body reach the SDK, success and error answers alike,
 *       so that a hostile endpoint cannot make the SDK's JSON (or STS's XML) parser buffer an
 *       unbounded body. A declared {@code Content-Length} above the cap fails at once; an
 *       undeclared one fails when the cap is crossed. Either way the connection is aborted and the
 *       call fails with {@link AnswerTooLargeException}.
 *   <li>Error answers (status 300 and up) are scrubbed before the SDK parses them, of the
 *       credentials and of the base64 values of the request (the key material of an Encrypt): the
 *       SDK logs the exception it builds from an error answer at DEBUG (its retry strategy does,
 *       even with retries off), so scrubbing our own exceptions alone would not be enough.
 * </ul>
 */
final class GuardedHttpClient implements SdkHttpClient {
  /** An answer body passed the cap. An {@link IOException}, so the SDK wraps it as I/O. */
  static final class AnswerTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    AnswerTooLargeException(long maxBytes) {
      super("the answer body is larger than " + maxBytes + " bytes");
    }
  }

  /** A JSON string value that may be base64: the request's Plaintext or CiphertextBlob. */
  private static final Pattern BASE64_VALUE = Pattern.compile("\"([A-Za-z0-9+/_=-]{16,})\"");

  private final SdkHttpClient delegate;
  private final long maxBytes;
  private final AwsSecrets secrets;

  GuardedHttpClient(SdkHttpClient delegate, long maxBytes, AwsSecrets secrets) {
    this.delegate = delegate;
    this.maxBytes = maxBytes;
    this.secrets = secrets;
  }

  /** A builder for the SDK: it builds the delegate with the SDK's defaults, then guards it. */
  static GuardedBuilder builder(
      SdkHttpClient.Builder<?> delegate, long maxBytes, AwsSecrets secrets) {
    return new GuardedBuilder(delegate, maxBytes, secrets);
  }

  static final class GuardedBuilder implements SdkHttpClient.Builder<GuardedBuilder> {
    private final SdkHttpClient.Builder<?> delegate;
    private final long maxBytes;
    private final AwsSecrets secrets;

    GuardedBuilder(SdkHttpClient.Builder<?> delegate, long maxBytes, AwsSecrets secrets) {
      this.delegate = delegate;
      this.maxBytes = maxBytes;
      this.secrets = secrets;
    }

    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap defaults) {
      return new GuardedHttpClient(delegate.buildWithDefaults(defaults), maxBytes, secrets);
    }
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest call = delegate.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        HttpExecuteResponse response = call.call();
        Optional<AbortableInputStream> body = response.responseBody();
        if (body.isEmpty()) {
          return response;
        }
        AbortableInputStream in = body.get();
        Optional<String> declared = response.httpResponse().firstMatchingHeader("Content-Length");
        if (declared.isPresent() && declaredAbove(declared.get())) {
          in.abort();
          throw new AnswerTooLargeException(maxBytes);
        }
        Capped capped =
            new Capped(in, maxBytes, declared.map(GuardedHttpClient::parse).orElse(-1L));
        if (response.httpResponse().isSuccessful()) {
          return HttpExecuteResponse.builder()
              .response(response.httpResponse())
              .responseBody(AbortableInputStream.create(capped, in))
              .build();
        }
        byte[] scrubbed;
        try (capped) {
          scrubbed =
              scrubber(request)
                  .scrub(new String(capped.readAllBytes(), StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8);
        }
        return HttpExecuteResponse.builder()
            .response(
                response.httpResponse().toBuilder()
                    .putHeader("Content-Length", Integer.toString(scrubbed.length))
                    .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(scrubbed)))
            .build();
      }

      @Override
      public void abort() {
        call.abort();
      }
    };
  }

  /** The credentials, and the base64 values the request carried, in their usual forms. */
  private SecretScrubber scrubber(HttpExecuteRequest request) throws IOException {
    SecretScrubber scrubber = secrets.scrubber();
    if (request.contentStreamProvider().isEmpty()) {
      return scrubber;
    }
    String body;
    try (InputStream in = request.contentStreamProvider().get().newStream()) {
      body = new String(in.readNBytes((int) maxBytes), StandardCharsets.UTF_8);
    }
    Matcher value = BASE64_VALUE.matcher(body);
    while (value.find()) {
      scrubber = scrubber.and(SecretScrubber.of(value.group(1)));
      try {
        scrubber = scrubber.and(KekAnswers.scrubberFor(Base64.getDecoder().decode(value.group(1))));
      } catch (IllegalArgumentException e) {
        // Not base64 after all: its text form is scrubbed already.
      }
    }
    return scrubber;
  }

  private boolean declaredAbove(String contentLength) {
    return parse(contentLength) > maxBytes;
  }

  private static long parse(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      return -1; // Left to the HTTP client; the stream cap still holds.
    }
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /**
   * Counts what is read, fails past the cap, and fails at an end before the declared length: the
   * JDK's HTTP stream reports a connection cut short as a plain end of stream, which the SDK would
   * then report as unparseable JSON instead of a lost connection.
   */
  private static final class Capped extends FilterInputStream {
    private final AbortableInputStream source;
    private final long maxBytes;
    private final long declared;
    private long read;

    Capped(AbortableInputStream source, long maxBytes, long declared) {
      super(source);
      this.source = source;
      this.maxBytes = maxBytes;
      this.declared = declared;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      } else {
        atEnd();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      } else if (n < 0) {
        atEnd();
      }
      return n;
    }

    private void atEnd() throws IOException {
      if (declared >= 0 && read < declared) {
        throw new IOException(
            "the connection ended after " + read + " of " + declared + " answer bytes");
      }
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) throws IOException {
      read += n;
      if (read > maxBytes) {
        source.abort();
        throw new AnswerTooLargeException(maxBytes);
      }
    }

    /** Reads are counted one by one: no mark/reset replays past the cap. */
    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
