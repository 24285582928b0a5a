package io.csfle.connect.field;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An immutable, parsed path to one field of a record: field names separated by dots, each step
 * going into a nested Struct field or, in a Map, to the value of a key. {@code customer.email}
 * names the {@code email} field of the {@code customer} Struct.
 *
 * <p>Syntax: {@code \.} is a dot inside a name, {@code \\} a backslash, {@code \[} and {@code \]}
 * brackets. Unescaped brackets are reserved for element steps such as {@code items[*].sku} and are
 * rejected for now. Names are taken verbatim: no trimming, no case folding.
 */
public final class FieldPath {
  private final String text;
  private final List<PathSegment> steps;
  private final List<String> names;

  private FieldPath(String text, List<PathSegment> steps) {
    this.text = text;
    this.steps = Collections.unmodifiableList(steps);
    List<String> stepNames = new ArrayList<>(steps.size());
    for (PathSegment step : steps) {
      stepNames.add(step.name());
    }
    this.names = Collections.unmodifiableList(stepNames);
  }

  /**
   * Parses one path.
   *
   * @throws FieldPathException when the text is null or empty, has an empty name (a leading,
   *     trailing or doubled dot), an unescaped bracket, an unknown escape or a trailing backslash;
   *     the message quotes the text and the offending index
   */
  public static FieldPath parse(String text) {
    if (text == null) {
      throw new FieldPathException("Field path must not be null");
    }
    if (text.isEmpty()) {
      throw new FieldPathException("Field path must not be empty");
    }
    List<PathSegment> steps = new ArrayList<>();
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\':
          if (i + 1 == text.length()) {
            throw invalid(text, "it ends with a lone backslash; write '\\\\' for a backslash");
          }
          char escaped = text.charAt(++i);
          if (escaped != '.' && escaped != '\\' && escaped != '[' && escaped != ']') {
            throw invalid(
                text,
                "unknown escape '\\"
                    + escaped
                    + "' at index "
                    + (i - 1)
                    + "; only \\. \\\\ \\[ and \\] are escapes");
          }
          name.append(escaped);
          break;
        case '.':
          steps.add(endName(text, name, i));
          break;
        case '[':
        case ']':
          // Reserved for element steps (items[*]); parse them here once they are supported.
          throw invalid(
              text,
              "unescaped '"
                  + c
                  + "' at index "
                  + i
                  + ": array and map element paths are not supported yet; write '\\"
                  + c
                  + "' for a literal bracket");
        default:
          name.append(c);
      }
    }
    steps.add(endName(text, name, text.length()));
    return new FieldPath(text, steps);
  }

  /**
   * Parses a list of paths that a single rewriter applies together.
   *
   * @throws FieldPathException when a path is malformed, listed twice, or contains another (as
   *     {@code customer} contains {@code customer.email}: it is ambiguous whether the whole Struct
   *     or one field of it is meant)
   */
  public static List<FieldPath> parseAll(List<String> texts) {
    if (texts == null) {
      throw new FieldPathException("Field path list must not be null");
    }
    List<FieldPath> paths = new ArrayList<>(texts.size());
    for (String text : texts) {
      paths.add(parse(text));
    }
    requireIndependent(paths);
    return Collections.unmodifiableList(paths);
  }

  /** Rejects duplicates and paths that contain one another; see {@link #parseAll}. */
  static void requireIndependent(List<FieldPath> paths) {
    for (int i = 0; i < paths.size(); i++) {
      FieldPath one = paths.get(i);
      for (int j = i + 1; j < paths.size(); j++) {
        FieldPath other = paths.get(j);
        if (one.equals(other)) {
          throw new FieldPathException(one, "Field path '" + one + "' is listed twice");
        }
        if (one.contains(other) || other.contains(one)) {
          FieldPath outer = one.contains(other) ? one : other;
          FieldPath inner = outer == one ? other : one;
          throw new FieldPathException(
              inner,
              "Field paths '"
                  + outer
                  + "' and '"
                  + inner
                  + "' overlap: '"
                  + outer
                  + "' already contains '"
                  + inner
                  + "'; list only one of them");
        }
      }
    }
  }

  /** The names (field names or map keys) of the steps, unescaped, outermost first. */
  public List<String> segments() {
    return names;
  }

  /** The steps as objects, for the walker. */
  List<PathSegment> steps() {
    return steps;
  }

  /** The escaped text of the first {@code count} steps, e.g. {@code customer} for a prefix. */
  String prefixText(int count) {
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        prefix.append('.');
      }
      prefix.append(steps.get(i).escaped());
    }
    return prefix.toString();
  }

  /** True when {@code other} is strictly longer and starts with all of this path's steps. */
  boolean contains(FieldPath other) {
    return other.steps.size() > steps.size()
        && other.steps.subList(0, steps.size()).equals(steps);
  }

  /** Paths are equal when their steps are; the escaping rules make the text canonical anyway. */
  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath && ((FieldPath) o).steps.equals(steps);
  }

  @Override
  public int hashCode() {
    return steps.hashCode();
  }

  /** The text this path was parsed from, as the user wrote it; used in error messages. */
  @Override
  public String toString() {
    return text;
  }

  private static PathSegment endName(String text, StringBuilder name, int index) {
    if (name.length() == 0) {
      throw invalid(
          text, "empty field name before index " + index + " (a leading, trailing or doubled dot)");
    }
    PathSegment step = new PathSegment(name.toString());
    name.setLength(0);
    return step;
  }

  private static FieldPathException invalid(String text, String problem) {
    return new FieldPathException("Invalid field path '" + text + "': " + problem);
  }
}
