package io.csfle.connect.admin;

import java.io.PrintStream;

/**
 * Where a command's result goes: text lines for people, or with {@code --json} exactly one JSON
 * document ({@link AdminJson}) for scripts. Errors never come here; they go to stderr.
 */
final class AdminOutput {
  private final PrintStream out;
  private final boolean json;

  AdminOutput(PrintStream out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /** True when the command was given {@code --json}. */
  boolean json() {
    return json;
  }

  void line(String text) {
    out.println(text);
  }

  /** The command's one JSON document. */
  void document(Object value) {
    out.println(AdminJson.write(value));
  }
}
