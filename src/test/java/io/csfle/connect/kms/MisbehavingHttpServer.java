package io.csfle.connect.kms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A KMS endpoint that misbehaves on the wire, for the SDK clients' adversarial tests: raw sockets
 * on 127.0.0.1 (plain HTTP, or HTTPS with a given server context), one thread per connection, and a
 * {@link Script} that decides what bytes go back, when, and whether the answer ever ends. The SDK
 * under test speaks real HTTP/1.1 to it. Stalls last until {@link #close}, which unblocks every
 * connection, so a client without a bound hangs for as long as the test lets it.
 */
public final class MisbehavingHttpServer implements AutoCloseable {
  /** One request as received: request line, headers (lower-case names) and body. */
  public record Request(String method, String target, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Writes the answer to one request. May block; {@link Wire#stall} blocks until close. */
  @FunctionalInterface
  public interface Script {
    void answer(Request request, Wire wire) throws IOException;
  }

  /** The connection's output, with the misbehaviours the scripts share. */
  public final class Wire {
    private final OutputStream out;

    Wire(OutputStream out) {
      this.out = out;
    }

    /** Status line and headers, with {@code Content-Length} when {@code length >= 0}. */
    public Wire head(int status, String contentType, long length, String... extraHeaders)
        throws IOException {
      StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
      head.append("Content-Type: ").append(contentType).append("\r\n");
      if (length >= 0) {
        head.append("Content-Length: ").append(length).append("\r\n");
      }
      for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
        head.append(extraHeaders[i]).append(": ").append(extraHeaders[i + 1]).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      return write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    public Wire write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
      written.addAndGet(bytes.length);
      return this;
    }

    public Wire write(String text) throws IOException {
      return write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A complete answer. */
    public void answer(int status, String contentType, String body, String... extraHeaders)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      head(status, contentType, bytes.length, extraHeaders).write(bytes);
    }

    /** {@code size} bytes of {@code fill} after {@code prefix}, as fast as the client reads. */
    public void huge(int status, String contentType, String prefix, long size, byte fill)
        throws IOException {
      head(status, contentType, size);
      write(prefix);
      flood(size - prefix.length(), fill);
    }

    /** {@code size} bytes of {@code fill}, as fast as the client reads. */
    public void flood(long size, byte fill) throws IOException {
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, fill);
      for (long left = size; left > 0; left -= chunk.length) {
        write(left >= chunk.length ? chunk : java.util.Arrays.copyOf(chunk, (int) left));
      }
    }

    /**
     * One byte every {@code everyMillis}, until closed: never idle long enough for a read timeout.
     */
    public void drip(byte b, long everyMillis) throws IOException {
      while (!closed.await(everyMillis)) {
        write(new byte[] {b});
      }
    }

    /** Sends nothing more until the server closes. */
    public void stall() {
      closed.await(TimeUnit.HOURS.toMillis(1));
    }
  }

  private static final class Gate {
    private final CountDownLatch latch = new CountDownLatch(1);

    boolean await(long millis) {
      try {
        return latch.await(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
  }

  private final ServerSocket server;
  private final String scheme;
  private final Script script;
  private final Gate closed = new Gate();
  private final AtomicLong written = new AtomicLong();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private MisbehavingHttpServer(ServerSocket server, String scheme, Script script) {
    this.server = server;
    this.scheme = scheme;
    this.script = script;
    this.acceptor = new Thread(this::accept, "misbehaving-http-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static MisbehavingHttpServer http(Script script) throws IOException {
    return new MisbehavingHttpServer(
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http", script);
  }

  public static MisbehavingHttpServer https(SSLContext tls, Script script) throws IOException {
    return new MisbehavingHttpServer(
        tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
        "https",
        script);
  }

  public URI uri() {
    return URI.create(scheme + "://127.0.0.1:" + server.getLocalPort());
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Bytes of answers written so far, over all connections. */
  public long bytesWritten() {
    return written.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        Thread handler = new Thread(() -> serve(socket), "misbehaving-http-conn");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      Request request = read(in);
      if (request == null) {
        return;
      }
      requests.add(request);
      script.answer(request, new Wire(socket.getOutputStream()));
    } catch (IOException e) {
      // The client gave up (reset, closed): what a misbehaving server gets.
    }
  }

  private static Request read(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); ; b = in.read()) {
      if (b < 0) {
        return null;
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        line.reset();
        if (text.isEmpty()) {
          break;
        }
        lines.add(text);
      } else {
        line.write(b);
      }
    }
    String[] requestLine = lines.get(0).split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header : lines.subList(1, lines.size())) {
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    return new Request(requestLine[0], requestLine[1], headers, in.readNBytes(length));
  }

  @Override
  public void close() {
    closed.latch.countDown();
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
  }
}
