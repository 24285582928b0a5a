package io.csfle.connect.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.function.Executable;

/**
 * What every client of a remote service must do when the service misbehaves, whatever the client:
 * end within its bound with its own exception, with a message that is bounded and names what
 * failed, with no secret anywhere in the chain, and, when it gave up, having hung up rather than
 * read on. The adversarial tests of the KMS and registry clients check their rows with these.
 */
public final class RemoteFailureAssertions {
  /** Longer than this, a message has passed a server's text on uncut. */
  public static final int MAX_MESSAGE = 600;

  /** Socket buffers take a few MB before a client reads; a client that read on takes 50. */
  public static final long MAX_BYTES_TAKEN = 32L << 20;

  private RemoteFailureAssertions() {}

  /**
   * Runs {@code call}, which must throw {@code type} within {@code bound} (the call is abandoned
   * when it does not), and hands what it threw to {@code leaks} for the after-class scan.
   */
  public static <E extends Throwable> E thrownWithin(
      Duration bound, LeakWatch leaks, Class<E> type, Executable call) {
    Throwable thrown =
        assertTimeoutPreemptively(
            bound, () -> leaks.thrown(call), "the call must end within its bound");
    assertThat(thrown).isInstanceOf(type);
    return type.cast(thrown);
  }

  /** The message names each of {@code mentions} and is at most {@link #MAX_MESSAGE} long. */
  public static void assertBoundedMessage(Throwable e, String... mentions) {
    assertThat(e.getMessage()).contains(mentions).hasSizeLessThanOrEqualTo(MAX_MESSAGE);
  }

  /**
   * No message in the chain holds any of {@code fragments}; a test names the first characters of a
   * secret too, since a message cut in the middle of a secret leaks its start.
   */
  public static void assertChainHoldsNone(Throwable e, String... fragments) {
    assertThat(chain(e)).doesNotContain(fragments);
  }

  /** Every message in the chain, causes and suppressed included. */
  public static String chain(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        text.append(chain(s));
      }
    }
    return text.toString();
  }

  /**
   * The client aborted the exchange rather than leave it to run: the server saw it close every
   * connection it served.
   */
  public static void assertClientHungUp(MisbehavingHttpServer server) throws InterruptedException {
    int connections = server.requests().size();
    assertThat(server.awaitHangUps(connections, 5_000))
        .as("client hung up on all %s connections", connections)
        .isTrue();
  }

  /**
   * The client let the server go: it took less than {@link #MAX_BYTES_TAKEN} of what was sent and,
   * when {@code mustHaveHungUp}, closed every connection itself.
   */
  public static void assertClientLetGo(MisbehavingHttpServer server, boolean mustHaveHungUp)
      throws InterruptedException {
    if (mustHaveHungUp) {
      assertClientHungUp(server);
    }
    assertTookLessThan(server, MAX_BYTES_TAKEN);
  }

  /** Of all the server sent, no more than {@code bytes} reached the network: the client stopped. */
  public static void assertTookLessThan(MisbehavingHttpServer server, long bytes) {
    assertThat(server.bytesWritten()).as("bytes the server got out").isLessThan(bytes);
  }

  /**
   * A redirect from {@code server} to {@code elsewhere} was refused: the message says so and names
   * the server asked, never the target or the password in its Location, and the target saw nothing.
   */
  public static void assertRedirectRefused(
      Throwable e, MisbehavingHttpServer server, MisbehavingHttpServer elsewhere) {
    assertThat(e.getMessage())
        .contains("redirect", server.url())
        .doesNotContain(
            String.valueOf(elsewhere.port()), "eve:", RemoteMisbehaviour.REDIRECT_PASSWORD);
    assertThat(elsewhere.requests()).isEmpty();
  }
}
