package io.csfle.connect.admin;

/**
 * A command refused what it was asked before changing anything, as for bad usage: exit status 2.
 */
final class AdminRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AdminRefusal(String message) {
    super(message);
  }
}
