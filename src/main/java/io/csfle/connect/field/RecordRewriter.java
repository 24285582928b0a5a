package io.csfle.connect.field;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;

/**
 * Applies a rewrite to the fields that a list of {@link FieldPath}s name in a record key or value,
 * returning a new value (and schema) and never mutating the input. Built once, at transform
 * configure time, with the {@link SchemaRewrite} that plans schemas; each {@link #rewrite} call
 * brings the {@link ValueRewrite} for that one record, so per-record state (a record's key) lives
 * in the caller's object, never here. Thread-safe if the schema rewrite is and each call's value
 * rewrite is used by one thread at a time; plans are immutable and hold no record state.
 *
 * <p><b>Records with a schema</b> (a Struct, or a Map with STRING keys): a path steps into Struct
 * fields and, in a Map, to the value of the key its next name gives; {@code [*]} steps into every
 * element of an ARRAY or every value of a MAP (keys untouched), and the rewrite then sees the
 * element or value schema. Each input schema is planned once and the plan cached (LRU, keyed by
 * schema): which fields exist, what the rewrite does to their schemas, and the output schema. The
 * output schema is the input instance when no field schema changed; otherwise every Struct, ARRAY
 * and MAP schema on the way is rebuilt with its name, version, doc, parameters and optionality, and
 * a stable instance is returned for all records of that input schema. A path whose name the schema
 * lacks fails the schema with {@link FieldPathException} unless the policy is {@link
 * MissingFieldPolicy#SKIP}; a missing Map key leaves the record alone. {@code [*]} on a schema that
 * is neither ARRAY nor MAP fails the schema whatever the policy.
 *
 * <p><b>Structs are read through their own schema</b>, at every depth: a Struct (the record value,
 * a nested field, an array element, a map value) whose schema is not the one planned for its place
 * must have the same shape (field names and order, types, optionality, logical names and
 * parameters, recursively), or the record fails with {@link FieldPathException}. Values are read by
 * position, so a Struct of another schema would otherwise hand one field's value to another. Equal
 * schema instances (and a Struct default built on a {@code SchemaBuilder}) pass.
 *
 * <p><b>Schemaless records</b> (nested {@code java.util.Map}s and {@code java.util.List}s): a
 * missing key leaves the record alone whatever the policy, since schemaless data legitimately
 * varies; {@code [*]} steps into every element of a List or every value of a Map, and fails on
 * anything else; the rewrite receives a null schema.
 *
 * <p><b>Containers</b>: a path that ends at a Struct, Map or List without {@code [*]} hands the
 * whole value to the rewrite (object mode). Lists and Maps are copied (ArrayList; a Map keeps its
 * order) only when one of their elements changes; untouched values are shared, never copied.
 *
 * <p><b>Nulls</b>: a null value, or a null on the way to it, is left alone and the rewrite is not
 * called. A null record (tombstone) is returned unchanged.
 *
 * <p><b>Defaults</b>: values are read as converters read them, so an unset field with a default
 * yields the default, and a path reaching it rewrites the default like any other value: the output
 * never relies on a default the rewrite did not see. In schemas, the rewriter never rewrites a
 * default itself (the rewrite may be non-deterministic, and a cached schema must not depend on one
 * run of it): a rewritten field gets whatever schema, default included, {@link
 * SchemaRewrite#rewriteSchema} returns, and a Struct, ARRAY or MAP schema that has to be rebuilt
 * loses its default (a value of the old schema). Unchanged schemas keep everything.
 *
 * <p><b>Stopping</b>: a value rewrite that gives up on a record says so ({@link
 * ValueRewrite#stopped()}); the walk ends at once and the input schema and value come back.
 *
 * <p>Exceptions thrown by the rewrite propagate unchanged; the caller adds record coordinates.
 */
public final class RecordRewriter {
  private final List<FieldPath> paths;
  private final PathTree tree;
  private final SchemaPlanner planner;
  private final ValuePlan schemalessPlan;
  private final Cache<Schema, Entry> plans;
  // Converters hand out the same schema instance record after record; checking it first skips
  // hashing a whole schema (ConnectSchema.hashCode is deep and uncached) on every record.
  private volatile Entry lastUsed;

  /** A planned input schema. */
  private record Entry(Schema input, ValuePlan plan, Schema output) {}

  /**
   * Creates a rewriter.
   *
   * @param paths the fields to rewrite; must be independent (see {@link FieldPath#parseAll})
   * @param schemaRewrite what happens to the schema of each field, once per planned schema
   * @param onMissing what to do when a Struct schema lacks a field a path names
   * @param schemaCacheSize how many input schemas to keep plans for; at least 1
   * @throws FieldPathException when two paths are equal or one contains the other
   */
  public RecordRewriter(
      List<FieldPath> paths,
      SchemaRewrite schemaRewrite,
      MissingFieldPolicy onMissing,
      int schemaCacheSize) {
    Objects.requireNonNull(paths, "paths");
    Objects.requireNonNull(schemaRewrite, "schemaRewrite");
    Objects.requireNonNull(onMissing, "onMissing");
    if (schemaCacheSize < 1) {
      throw new IllegalArgumentException("schemaCacheSize must be at least 1: " + schemaCacheSize);
    }
    this.paths = List.copyOf(paths);
    this.tree = new PathTree(this.paths);
    this.planner = new SchemaPlanner(schemaRewrite, onMissing);
    this.schemalessPlan = schemalessPlan(tree.root());
    this.plans = new SynchronizedCache<>(new LRUCache<>(schemaCacheSize));
  }

  /** The paths this rewriter applies, in configured order. */
  public List<FieldPath> paths() {
    return paths;
  }

  /**
   * Rewrites one record key or value.
   *
   * @param schema the value's schema, or null for a schemaless value
   * @param value a Struct or Map (with a schema of the same type), or null
   * @param valueRewrite what to do with each value a path names, for this call only; it is not
   *     called when no path finds a non-null value
   * @return the output schema and value; the input ones when nothing changed or the value rewrite
   *     {@linkplain ValueRewrite#stopped() stopped}. A Struct with a null schema is walked by its
   *     own schema and returned with a null schema.
   * @throws FieldPathException when the value is not a Struct or Map, a path cannot be applied to
   *     the schema, or a Struct is not of the schema declared for it (see the class comment)
   */
  public SchemaAndValue rewrite(Schema schema, Object value, ValueRewrite valueRewrite) {
    Objects.requireNonNull(valueRewrite, "valueRewrite");
    if (value == null) {
      return new SchemaAndValue(schema, null);
    }
    if (schema == null) {
      if (value instanceof Map) {
        Object output = schemalessPlan.apply(value, valueRewrite);
        return new SchemaAndValue(null, valueRewrite.stopped() ? value : output);
      }
      if (value instanceof Struct) {
        Schema ownSchema = ((Struct) value).schema();
        return new SchemaAndValue(null, rewriteWithSchema(ownSchema, value, valueRewrite).value());
      }
      throw notContainer(null, value);
    }
    boolean matches =
        (schema.type() == Schema.Type.STRUCT && value instanceof Struct)
            || (schema.type() == Schema.Type.MAP && value instanceof Map);
    if (!matches) {
      throw notContainer(schema, value);
    }
    return rewriteWithSchema(schema, value, valueRewrite);
  }

  private SchemaAndValue rewriteWithSchema(Schema schema, Object value, ValueRewrite valueRewrite) {
    Entry entry = planFor(schema);
    if (entry.plan() == null) {
      return new SchemaAndValue(schema, value);
    }
    Object output = entry.plan().apply(value, valueRewrite);
    if (valueRewrite.stopped()) {
      return new SchemaAndValue(schema, value);
    }
    // For an unchanged schema, hand back the caller's instance, not the equal one we planned with.
    Schema outputSchema = entry.output() == entry.input() ? schema : entry.output();
    return new SchemaAndValue(outputSchema, output);
  }

  private Entry planFor(Schema schema) {
    Entry entry = lastUsed;
    if (entry != null && entry.input() == schema) {
      return entry;
    }
    entry = plans.get(schema);
    if (entry == null) {
      SchemaPlanner.Planned planned = planner.planRecord(schema, tree.root());
      entry = new Entry(schema, planned.plan(), planned.schema());
      plans.put(schema, entry);
    }
    lastUsed = entry;
    return entry;
  }

  private static ValuePlan schemalessPlan(PathTree.Node node) {
    if (node.isLeaf()) {
      return new LeafPlan(node.leafPath(), null);
    }
    PathTree.Node elements = node.elementsChild();
    if (elements != null) {
      return new SchemalessElementsPlan(node, schemalessPlan(elements));
    }
    PathTree.Node[] children = node.children();
    String[] keys = new String[children.length];
    ValuePlan[] plans = new ValuePlan[children.length];
    for (int i = 0; i < children.length; i++) {
      keys[i] = children[i].name();
      plans[i] = schemalessPlan(children[i]);
    }
    return new MapPlan(node, keys, plans);
  }

  private FieldPathException notContainer(Schema schema, Object value) {
    String found =
        schema == null
            ? value.getClass().getName()
            : "schema type " + schema.type() + " (" + value.getClass().getName() + ")";
    return new FieldPathException(
        "A Struct or Map value is needed to rewrite fields " + paths + ", got " + found);
  }
}
