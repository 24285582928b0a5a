package io.csfle.connect.field;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An immutable, parsed path to the fields of a record: field names separated by dots, each step
 * going into a nested Struct field or, in a Map, to the value of a key. {@code customer.email}
 * names the {@code email} field of the {@code customer} Struct.
 *
 * <p>An element step {@code [*]} directly after a name (or another {@code [*]}) goes into every
 * element of an array or every value of a map: {@code tags[*]} names each element of {@code tags},
 * {@code items[*].sku} the {@code sku} of each element, {@code matrix[*][*]} each element of each
 * inner array, {@code attrs[*]} each value of the map {@code attrs}. A path ending at a Struct, map
 * or array without {@code [*]} names the whole value. Only {@code *} may stand inside brackets, and
 * a path cannot start with {@code [*]} (a record is a Struct or Map, not an array).
 *
 * <p>Syntax: {@code \.} is a dot inside a name, {@code \\} a backslash, {@code \[} and {@code \]}
 * literal brackets. Names are taken verbatim: no trimming, no case folding.
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
   *     trailing or doubled dot), a bracket that is not a {@code [*]} after a name or another
   *     {@code [*]}, an unknown escape or a trailing backslash; the message quotes the text and the
   *     offending index
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
    // True right after a "[*]": the step is complete, and only '.', '[' or the end may follow.
    boolean afterElements = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (afterElements && c != '.' && c != '[') {
        throw invalid(text, "'" + c + "' at index " + i + " follows '[*]'; expected '.' or '['");
      }
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
          if (afterElements) {
            afterElements = false;
          } else {
            steps.add(endName(text, name, i));
          }
          break;
        case '[':
          if (!afterElements) {
            requireNameBeforeBracket(text, name, steps, i);
            steps.add(endName(text, name, i));
          }
          i = endElements(text, i);
          steps.add(PathSegment.ELEMENTS);
          afterElements = true;
          break;
        case ']':
          throw invalid(
              text,
              "unescaped ']' at index " + i + " closes no '['; write '\\]' for a literal bracket");
        default:
          name.append(c);
      }
    }
    if (!afterElements) {
      steps.add(endName(text, name, text.length()));
    }
    return new FieldPath(text, steps);
  }

  /**
   * Parses a list of paths that a single rewriter applies together.
   *
   * @throws FieldPathException when a path is malformed, listed twice, or overlaps another: when
   *     one contains the other (as {@code customer} contains {@code customer.email}, or {@code
   *     items} contains {@code items[*]}: it is ambiguous whether the whole value or a part of it
   *     is meant), or when both step into the same value, one with {@code [*]} and one by name (as
   *     {@code attrs[*]} and {@code attrs.ssn})
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

  /**
   * Rejects duplicates, paths that contain one another, and paths that step into the same value
   * both with {@code [*]} and by name; see {@link #parseAll}.
   */
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
        requireSameStepKind(one, other);
      }
    }
  }

  /**
   * Rejects two paths that share a prefix and then go on, one with {@code [*]} and the other by
   * name: in a map {@code attrs[*]} includes the key {@code attrs.ssn} names, so a value could be
   * rewritten twice, and a walker step must treat a container one way.
   */
  private static void requireSameStepKind(FieldPath one, FieldPath other) {
    int shorter = Math.min(one.steps.size(), other.steps.size());
    for (int d = 0; d < shorter; d++) {
      PathSegment a = one.steps.get(d);
      PathSegment b = other.steps.get(d);
      if (a.equals(b)) {
        continue;
      }
      if (a.isElements() == b.isElements()) {
        return;
      }
      FieldPath byElements = a.isElements() ? one : other;
      FieldPath byName = byElements == one ? other : one;
      String container = one.prefixText(d);
      throw new FieldPathException(
          byName,
          "Field paths '"
              + byElements
              + "' and '"
              + byName
              + "' overlap: '"
              + byElements
              + "' steps into every element of '"
              + container
              + "', which '"
              + byName
              + "' steps into by name; step into '"
              + container
              + "' one way, with [*] or by names");
    }
  }

  /**
   * The steps, outermost first: field names and map keys unescaped, and {@code "[*]"} for each
   * element step ({@code items[*].sku} gives {@code items}, {@code [*]}, {@code sku}). A name that
   * is literally {@code [*]} (written {@code \[*\]}) looks the same here; {@link #equals} tells
   * them apart.
   */
  public List<String> segments() {
    return names;
  }

  /** The steps as objects, for the walker. */
  List<PathSegment> steps() {
    return steps;
  }

  /**
   * The escaped text of the first {@code count} steps, e.g. {@code customer} or {@code items[*]}
   * for a prefix.
   */
  String prefixText(int count) {
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < count; i++) {
      PathSegment step = steps.get(i);
      if (i > 0 && !step.isElements()) {
        prefix.append('.');
      }
      prefix.append(step.escaped());
    }
    return prefix.toString();
  }

  /** True when {@code other} is strictly longer and starts with all of this path's steps. */
  boolean contains(FieldPath other) {
    return other.steps.size() > steps.size() && other.steps.subList(0, steps.size()).equals(steps);
  }

  /** True when a step is {@code [*]}: the path names every element, not one value. */
  public boolean hasElementSteps() {
    for (PathSegment step : steps) {
      if (step.isElements()) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when the two paths can name the same value or one a value inside the other's: one is equal
   * to, under or above the other, a {@code [*]} step matching any name (in a map, {@code attrs[*]}
   * includes the value {@code attrs.ssn} names).
   */
  public boolean overlaps(FieldPath other) {
    int shorter = Math.min(steps.size(), other.steps.size());
    for (int i = 0; i < shorter; i++) {
      PathSegment a = steps.get(i);
      PathSegment b = other.steps.get(i);
      if (!a.equals(b) && !a.isElements() && !b.isElements()) {
        return false;
      }
    }
    return true;
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

  /** An element step must follow a name or another {@code [*]}: not a dot, not the start. */
  private static void requireNameBeforeBracket(
      String text, StringBuilder name, List<PathSegment> steps, int index) {
    if (name.length() > 0) {
      return;
    }
    if (steps.isEmpty()) {
      throw invalid(
          text,
          "it starts with '[' at index "
              + index
              + ": a record is a Struct or Map, so a path starts with a field name"
              + " (write '\\[' for a literal bracket)");
    }
    throw invalid(
        text,
        "'[' at index "
            + index
            + " follows a dot; '[*]' goes directly after a field name or another '[*]'");
  }

  /**
   * Checks that the bracket at {@code open} is {@code [*]} and returns the index of its {@code ]}.
   */
  private static int endElements(String text, int open) {
    int close = text.indexOf(']', open + 1);
    if (close < 0) {
      throw invalid(
          text, "'[' at index " + open + " is never closed; write '\\[' for a literal bracket");
    }
    if (close != open + 2 || text.charAt(open + 1) != '*') {
      throw invalid(
          text,
          "'"
              + text.substring(open, close + 1)
              + "' at index "
              + open
              + ": only [*] (every element or map value) is supported inside brackets;"
              + " write '\\[' and '\\]' for literal brackets");
    }
    return close;
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
