package io.csfle.connect.testing;

import java.util.function.UnaryOperator;

/**
 * A row of a client's table of hostile answers: the server's move, how the client is set up and
 * called for it ({@code S}, the test's own), what must come of it ({@code X}, the test's own
 * exception kind or reason), what the message must mention, and whether the client must have hung
 * up (it stalls or sends too much: the client must abort rather than wait or read on).
 */
public record HostileAnswer<S, X>(
    RemoteMisbehaviour move, S setup, X expected, String mentions, boolean clientHangsUp) {

  /** A row with the client set up as {@code setup}, the client need not hang up. */
  public static <S, X> HostileAnswer<S, X> of(
      RemoteMisbehaviour move, S setup, X expected, String mentions) {
    return new HostileAnswer<>(move, setup, expected, mentions, false);
  }

  /** The same row where the client must have hung up on the server. */
  public HostileAnswer<S, X> hangsUp() {
    return new HostileAnswer<>(move, setup, expected, mentions, true);
  }

  /** The same row with the client set up otherwise, e.g. {@code .with(Client::unwrapping)}. */
  public HostileAnswer<S, X> with(UnaryOperator<S> change) {
    return new HostileAnswer<>(move, change.apply(setup), expected, mentions, clientHangsUp);
  }

  /** Parameterized tests show the row by its move's name. */
  @Override
  public String toString() {
    return move.name();
  }
}
