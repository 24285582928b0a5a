package io.csfle.connect.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A raw HTTP/1.1 server on 127.0.0.1, plain or TLS, that answers byte by byte as a test tells it
 * to, so a client (ours or a vendor SDK) can be shown a server that stalls before or after the
 * headers, declares more body than it sends, drips or streams a body forever, sends 50 MB, or hangs
 * up mid-body. Each connection serves one request, then runs the {@link Behaviour}. A stall waits
 * until the client hangs up, which is recorded, so a test can prove that the client really aborted
 * the exchange; {@link #close} ends every stall and every endless body.
 */
public final class MisbehavingHttpServer implements AutoCloseable {
  /** How long a stall waits for the client to hang up before the server gives up itself. */
  private static final int STALL_LIMIT_MS = 60_000;

  /** What the server does once it has read a request. */
  @FunctionalInterface
  public interface Behaviour {
    void respond(Request request, Connection connection) throws IOException;
  }

  /** A request as received: method, path with query, headers (lower-case names), body. */
  public record Request(String method, String path, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final ServerSocket socket;
  private final String scheme;
  private final Behaviour behaviour;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong hangUps = new AtomicLong();

  private MisbehavingHttpServer(ServerSocket socket, String scheme, Behaviour behaviour) {
    this.socket = socket;
    this.scheme = scheme;
    this.behaviour = behaviour;
    Thread acceptor = new Thread(this::acceptLoop, "misbehaving-http-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static MisbehavingHttpServer http(Behaviour behaviour) throws IOException {
    return new MisbehavingHttpServer(
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http", behaviour);
  }

  /** The same server behind TLS, with {@code tls} holding its certificate. */
  public static MisbehavingHttpServer https(SSLContext tls, Behaviour behaviour)
      throws IOException {
    return new MisbehavingHttpServer(
        tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
        "https",
        behaviour);
  }

  /** {@code http://127.0.0.1:port} or {@code https://…}, no trailing slash. */
  public String url() {
    return scheme + "://127.0.0.1:" + socket.getLocalPort();
  }

  public int port() {
    return socket.getLocalPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Response bytes the server managed to hand to the network (the client may not read them). */
  public long bytesWritten() {
    return bytesWritten.get();
  }

  /** Waits until the client has closed {@code count} connections the server still used. */
  public boolean awaitHangUps(long count, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (hangUps.get() < count) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void close() {
    closeQuietly(socket);
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing anyway: a test's clean-up must not fail on a socket the client already reset.
    }
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "misbehaving-http-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      Request request = readRequest(s.getInputStream());
      if (request == null) {
        return;
      }
      requests.add(request);
      behaviour.respond(request, new Connection(s));
    } catch (IOException e) {
      // The client hung up while we were writing: what a test often wants.
    } finally {
      open.remove(s);
    }
  }

  private static Request readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] start = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Request(start[0], start[1], headers, body);
  }

  /** One client connection, with the moves a misbehaving server makes. */
  public final class Connection {
    private final Socket s;
    private final OutputStream out;

    Connection(Socket s) throws IOException {
      this.s = s;
      this.out = s.getOutputStream();
    }

    /** Writes raw bytes and flushes; a failed write means the client hung up (recorded). */
    public Connection write(byte[] bytes) throws IOException {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        hangUps.incrementAndGet();
        throw e;
      }
      bytesWritten.addAndGet(bytes.length);
      return this;
    }

    public Connection write(String text) throws IOException {
      return write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A status line and exactly these header lines ({@code "Name: value"}), ending the head. */
    public Connection head(int status, String... headerLines) throws IOException {
      StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
      for (String line : headerLines) {
        head.append(line).append("\r\n");
      }
      return write(head.append("\r\n").toString());
    }

    /** A whole response with a Content-Length and any more header lines, then closes. */
    public void respond(int status, String contentType, String body, String... headerLines)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>();
      lines.add("Content-Type: " + contentType);
      lines.add("Content-Length: " + bytes.length);
      lines.addAll(List.of(headerLines));
      lines.add("Connection: close");
      head(status, lines.toArray(String[]::new)).write(bytes);
    }

    /** Sends nothing more and waits until the client hangs up (recorded) or a minute passes. */
    public void stall() throws IOException {
      s.setSoTimeout(STALL_LIMIT_MS);
      InputStream in = s.getInputStream();
      try {
        while (in.read() >= 0) {
          // a client has nothing more to send on this connection: discard
        }
      } catch (SocketTimeoutException e) {
        return; // the client never hung up: not recorded
      } catch (IOException e) {
        // reset by the client
      }
      hangUps.incrementAndGet();
    }

    /** Writes {@code bytes} again and again, {@code pauseMs} apart, until the connection ends. */
    public void drip(byte[] bytes, long pauseMs) throws IOException {
      while (!s.isClosed()) {
        write(bytes);
        sleep(pauseMs);
      }
    }

    /** Writes {@code chunk} as HTTP chunks, again and again, every {@code pauseMs}, forever. */
    public void chunksForever(byte[] chunk, long pauseMs) throws IOException {
      String size = Integer.toHexString(chunk.length) + "\r\n";
      byte[] frame = new byte[size.length() + chunk.length + 2];
      System.arraycopy(size.getBytes(StandardCharsets.US_ASCII), 0, frame, 0, size.length());
      System.arraycopy(chunk, 0, frame, size.length(), chunk.length);
      frame[frame.length - 2] = '\r';
      frame[frame.length - 1] = '\n';
      drip(frame, pauseMs);
    }

    /** Writes {@code total} bytes of {@code fill} in 64 KiB pieces (stops when the client goes). */
    public void flood(long total, byte fill) throws IOException {
      byte[] piece = new byte[64 * 1024];
      Arrays.fill(piece, fill);
      for (long sent = 0; sent < total; sent += piece.length) {
        write(piece.length <= total - sent ? piece : Arrays.copyOf(piece, (int) (total - sent)));
      }
    }

    /** Closes the connection now (mid-body, say). */
    public void hangUp() throws IOException {
      s.close();
    }

    private void sleep(long ms) throws IOException {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
