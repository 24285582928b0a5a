package io.csfle.connect.field;

/**
 * One step of a {@link FieldPath}: a field name (or, in a Map, a key), or an element step, written
 * {@code [*]}, that goes into every element of an array or every value of a map.
 */
final class PathSegment {
  /** The element step {@code [*]}; the only instance for which {@link #isElements} is true. */
  static final PathSegment ELEMENTS = new PathSegment(null);

  private static final String ELEMENTS_TEXT = "[*]";

  private final String name;

  PathSegment(String name) {
    this.name = name;
  }

  /** True for the element step {@code [*]}. */
  boolean isElements() {
    return name == null;
  }

  /** The field name or map key, unescaped; {@code [*]} for the element step. */
  String name() {
    return name == null ? ELEMENTS_TEXT : name;
  }

  /** The step as it would be written in a path: escaped name, or {@code [*]}. */
  String escaped() {
    if (name == null) {
      return ELEMENTS_TEXT;
    }
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
    if (!(o instanceof PathSegment)) {
      return false;
    }
    String otherName = ((PathSegment) o).name;
    return name == null ? otherName == null : name.equals(otherName);
  }

  @Override
  public int hashCode() {
    return name == null ? 0 : name.hashCode();
  }

  @Override
  public String toString() {
    return escaped();
  }
}
