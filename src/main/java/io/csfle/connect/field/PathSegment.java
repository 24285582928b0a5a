package io.csfle.connect.field;

/**
 * One step of a {@link FieldPath}: for now always a field name (or, in a Map, a key). A step is an
 * object rather than a bare string so that element steps such as {@code items[*]} can be added as
 * another kind without changing how paths are walked.
 */
final class PathSegment {
  private final String name;

  PathSegment(String name) {
    this.name = name;
  }

  /** The field name or map key, unescaped. */
  String name() {
    return name;
  }

  /** The name as it would be written in a path, with dots, backslashes and brackets escaped. */
  String escaped() {
    StringBuilder text = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.' || c == '\\' || c == '[' || c == ']') {
        text.append('\\');
      }
      text.append(c);
    }
    return text.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathSegment && ((PathSegment) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return escaped();
  }
}
