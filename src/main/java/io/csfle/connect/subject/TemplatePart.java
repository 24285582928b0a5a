package io.csfle.connect.subject;

import java.util.List;

/** A part of a subject template: literal text, or a placeholder with its alternatives. */
sealed interface TemplatePart {

  /** Text the operator wrote, copied into the subject as it is. */
  record Literal(String text) implements TemplatePart {}

  /**
   * {@code ${a|b|...}}: the first source that is present, non-null and non-empty gives the value.
   *
   * @param text the placeholder as written, for messages
   */
  record Placeholder(String text, List<SubjectSource> sources) implements TemplatePart {

    boolean topicOnly() {
      return sources.size() == 1 && sources.get(0).kind() == SubjectSource.Kind.TOPIC;
    }
  }
}
