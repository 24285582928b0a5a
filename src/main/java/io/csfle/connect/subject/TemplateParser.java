package io.csfle.connect.subject;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a subject template: literal text and placeholders {@code ${source|source...}}. A
 * placeholder ends at the first {@code }}, and {@code |} separates its alternatives, so a field or
 * header name holding {@code }} or {@code |} cannot be named. A {@code $} not followed by {@code
 * {} is literal.
 */
final class TemplateParser {
  private TemplateParser() {}

  static List<TemplatePart> parse(String template) {
    if (template == null || template.isEmpty()) {
      throw new SubjectTemplateException("a DEK subject template must not be empty");
    }
    List<TemplatePart> parts = new ArrayList<>();
    int from = 0;
    while (from < template.length()) {
      int open = template.indexOf("${", from);
      if (open < 0) {
        parts.add(new TemplatePart.Literal(template.substring(from)));
        break;
      }
      if (open > from) {
        parts.add(new TemplatePart.Literal(template.substring(from, open)));
      }
      int close = template.indexOf('}', open + 2);
      if (close < 0) {
        throw new SubjectTemplateException("'${' at index " + open + " is never closed by '}'");
      }
      parts.add(placeholder(template.substring(open, close + 1), open));
      from = close + 1;
    }
    return List.copyOf(parts);
  }

  private static TemplatePart.Placeholder placeholder(String text, int index) {
    String inner = text.substring(2, text.length() - 1);
    if (inner.isEmpty()) {
      throw new SubjectTemplateException(
          "empty placeholder ${} at index " + index + "; name a source, e.g. ${topic}");
    }
    if (inner.contains("${")) {
      throw new SubjectTemplateException(
          "placeholder "
              + text
              + " at index "
              + index
              + " holds another '${'; placeholders do not nest");
    }
    List<SubjectSource> sources = new ArrayList<>();
    for (String source : inner.split("\\|", -1)) {
      if (!sources.isEmpty()
          && sources.get(sources.size() - 1).kind() == SubjectSource.Kind.TOPIC) {
        throw new SubjectTemplateException(
            "placeholder "
                + text
                + ": an alternative after 'topic' is never used, as every record has a topic");
      }
      sources.add(SubjectSource.parse(source, text));
    }
    return new TemplatePart.Placeholder(text, List.copyOf(sources));
  }
}
