package io.csfle.connect.field;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured paths merged into a tree, so that paths sharing a parent ({@code customer.email},
 * {@code customer.phone}) are walked, and the parent copied, once. Built at configure time;
 * immutable afterwards. Paths must be independent (see {@link FieldPath#parseAll}), so a node is
 * either a leaf holding one path or an inner node with children, never both; and an inner node's
 * children are either named steps or a single element step {@code [*]}, never a mix.
 */
final class PathTree {
  private final Node root;

  PathTree(List<FieldPath> paths) {
    FieldPath.requireIndependent(paths);
    Builder rootBuilder = new Builder(null, 0, paths.isEmpty() ? null : paths.get(0));
    for (FieldPath path : paths) {
      Builder node = rootBuilder;
      List<PathSegment> steps = path.steps();
      for (int depth = 0; depth < steps.size(); depth++) {
        node = node.child(steps.get(depth), depth + 1, path);
      }
      node.leafPath = path;
    }
    this.root = rootBuilder.build();
  }

  Node root() {
    return root;
  }

  /** One step of one or more paths. */
  static final class Node {
    private final PathSegment step;
    private final int depth;
    private final FieldPath leafPath;
    private final FieldPath firstPath;
    private final Node[] children;

    private Node(
        PathSegment step, int depth, FieldPath leafPath, FieldPath firstPath, Node[] children) {
      this.step = step;
      this.depth = depth;
      this.leafPath = leafPath;
      this.firstPath = firstPath;
      this.children = children;
    }

    /** The field name or map key this node stands for ({@code [*]} for an element step). */
    String name() {
      return step.name();
    }

    /** True when this node is an element step {@code [*]}. */
    boolean isElements() {
      return step != null && step.isElements();
    }

    /**
     * The single {@code [*]} child when paths go from here into every element or map value, else
     * null (the children are named steps).
     */
    Node elementsChild() {
      return children.length == 1 && children[0].isElements() ? children[0] : null;
    }

    /** True when a path ends here: the value at this node is the one to rewrite. */
    boolean isLeaf() {
      return leafPath != null;
    }

    /** The path that ends here; only for leaves. */
    FieldPath leafPath() {
      return leafPath;
    }

    /** A path going through this node, to name in error messages. */
    FieldPath firstPath() {
      return firstPath;
    }

    /** The escaped text from the root down to this node, e.g. {@code customer.address}. */
    String prefixText() {
      return depth == 0 ? "" : firstPath.prefixText(depth);
    }

    Node[] children() {
      return children;
    }

    /**
     * The error for a value at this node that is not the container the paths need, e.g. a String
     * where {@code items[*].sku} needs a List or Map; names the path and the class, not the value.
     */
    FieldPathException wrongValue(Object value, String expected) {
      return new FieldPathException(
          firstPath,
          "Field path '"
              + firstPath
              + "' goes through '"
              + prefixText()
              + "', which holds a "
              + value.getClass().getName()
              + ", not "
              + expected);
    }
  }

  private static final class Builder {
    private final PathSegment step;
    private final int depth;
    private final FieldPath firstPath;
    private final Map<PathSegment, Builder> children = new LinkedHashMap<>();
    private FieldPath leafPath;

    Builder(PathSegment step, int depth, FieldPath firstPath) {
      this.step = step;
      this.depth = depth;
      this.firstPath = firstPath;
    }

    Builder child(PathSegment childStep, int childDepth, FieldPath path) {
      return children.computeIfAbsent(childStep, s -> new Builder(s, childDepth, path));
    }

    Node build() {
      List<Node> built = new ArrayList<>(children.size());
      for (Builder child : children.values()) {
        built.add(child.build());
      }
      return new Node(step, depth, leafPath, firstPath, built.toArray(new Node[0]));
    }
  }
}
