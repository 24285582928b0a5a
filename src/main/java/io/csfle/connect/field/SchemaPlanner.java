package io.csfle.connect.field;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Turns (input schema, path tree) into a {@link ValuePlan} and the output schema. Runs once per
 * input schema (the result is cached), so everything that depends only on the schema is decided
 * here: which fields exist, what the rewrite does to their types, which schemas must be rebuilt.
 */
final class SchemaPlanner {

  /**
   * A planned schema: the plan to apply to its values (null when no path applies, e.g. all skipped)
   * and the output schema, which is the input instance itself when nothing about it changed.
   */
  record Planned(ValuePlan plan, Schema schema) {}

  private final SchemaRewrite rewrite;
  private final MissingFieldPolicy onMissing;

  SchemaPlanner(SchemaRewrite rewrite, MissingFieldPolicy onMissing) {
    this.rewrite = rewrite;
    this.onMissing = onMissing;
  }

  /** Plans a record's top-level schema, which must be a STRUCT or a STRING-keyed MAP. */
  Planned planRecord(Schema schema, PathTree.Node root) {
    if (schema.type() == Schema.Type.STRUCT) {
      return planStruct(schema, root);
    }
    if (schema.type() == Schema.Type.MAP) {
      return planMap(schema, root);
    }
    throw new FieldPathException(
        "A Struct or Map value is needed to rewrite fields, got a value with schema type "
            + schema.type());
  }

  private Planned planChild(Schema schema, PathTree.Node node) {
    if (node.isLeaf()) {
      return planLeaf(schema, node.leafPath());
    }
    PathTree.Node elements = node.elementsChild();
    if (elements != null) {
      return planElements(schema, node, elements);
    }
    switch (schema.type()) {
      case STRUCT:
        return planStruct(schema, node);
      case MAP:
        return planMap(schema, node);
      case ARRAY:
        throw new FieldPathException(
            node.firstPath(),
            "Field path '"
                + node.firstPath()
                + "' goes through '"
                + node.prefixText()
                + "', an ARRAY, by name; write '"
                + node.prefixText()
                + "[*]' to step into every element");
      default:
        throw new FieldPathException(
            node.firstPath(),
            "Field path '"
                + node.firstPath()
                + "' goes through '"
                + node.prefixText()
                + "' of type "
                + schema.type()
                + ", which has no fields; only STRUCT and MAP values can be walked into");
    }
  }

  /**
   * Plans {@code [*]} on the value at {@code node}: every element of an ARRAY or every value of a
   * MAP, whose element or value schema the rewrite may change as a whole.
   */
  private Planned planElements(Schema schema, PathTree.Node node, PathTree.Node elements) {
    if (schema.type() != Schema.Type.ARRAY && schema.type() != Schema.Type.MAP) {
      throw new FieldPathException(
          node.firstPath(),
          "Field path '"
              + node.firstPath()
              + "' uses [*] on '"
              + node.prefixText()
              + "' of type "
              + schema.type()
              + "; [*] steps into the elements of an ARRAY or the values of a MAP");
    }
    Schema elementSchema = schema.valueSchema();
    Planned element = planChild(elementSchema, elements);
    if (element.plan() == null) {
      return new Planned(null, schema);
    }
    boolean changed = element.schema() != elementSchema;
    Object staleDefault = changed ? schema.defaultValue() : null;
    if (schema.type() == Schema.Type.ARRAY) {
      Schema output = changed ? RebuiltSchemas.array(schema, element.schema()) : schema;
      return new Planned(new ArrayPlan(node, element.plan(), staleDefault), output);
    }
    Schema output = changed ? RebuiltSchemas.map(schema, element.schema()) : schema;
    return new Planned(new MapValuesPlan(node, element.plan(), staleDefault), output);
  }

  private Planned planLeaf(Schema schema, FieldPath path) {
    Schema rewritten = rewrite.rewriteSchema(path, schema);
    if (rewritten == null) {
      throw new FieldPathException(path, "The rewrite returned no schema for field '" + path + "'");
    }
    if (schema.isOptional() && !rewritten.isOptional()) {
      // Null values are left alone, so a required output schema would make them invalid.
      throw new FieldPathException(
          path, "The rewrite would make optional field '" + path + "' required");
    }
    // An equal schema counts as unchanged: keep the input instance so it can be reused upstream.
    Schema output = rewritten.equals(schema) ? schema : rewritten;
    return new Planned(new LeafPlan(path, schema), output);
  }

  private Planned planStruct(Schema schema, PathTree.Node node) {
    List<Field> fields = schema.fields();
    Schema[] changedFieldSchemas = new Schema[fields.size()];
    ValuePlan[] plansByIndex = new ValuePlan[fields.size()];
    PathTree.Node[] nodesByIndex = new PathTree.Node[fields.size()];
    boolean changed = false;
    int actions = 0;
    for (PathTree.Node child : node.children()) {
      Field field = schema.field(child.name());
      if (field == null) {
        if (onMissing == MissingFieldPolicy.FAIL) {
          throw missingField(schema, child);
        }
        continue;
      }
      Planned planned = planChild(field.schema(), child);
      if (planned.plan() == null) {
        continue;
      }
      plansByIndex[field.index()] = planned.plan();
      nodesByIndex[field.index()] = child;
      actions++;
      if (planned.schema() != field.schema()) {
        changedFieldSchemas[field.index()] = planned.schema();
        changed = true;
      }
    }
    if (actions == 0) {
      return new Planned(null, schema);
    }
    Schema output = changed ? RebuiltSchemas.struct(schema, changedFieldSchemas) : schema;
    return new Planned(new StructPlan(node, schema, output, plansByIndex, nodesByIndex), output);
  }

  private Planned planMap(Schema schema, PathTree.Node node) {
    if (schema.keySchema().type() != Schema.Type.STRING) {
      throw new FieldPathException(
          node.firstPath(),
          "Field path '"
              + node.firstPath()
              + "' addresses a map key in '"
              + displayName(node)
              + "', whose keys are "
              + schema.keySchema().type()
              + "; only STRING keys can be named in a path");
    }
    Schema valueSchema = schema.valueSchema();
    List<String> keys = new ArrayList<>();
    List<ValuePlan> plans = new ArrayList<>();
    for (PathTree.Node child : node.children()) {
      Planned planned = planChild(valueSchema, child);
      if (planned.plan() == null) {
        continue;
      }
      if (planned.schema() != valueSchema) {
        throw new FieldPathException(
            child.firstPath(),
            "Field path '"
                + child.firstPath()
                + "' rewrites one value of map '"
                + displayName(node)
                + "' in a way that changes its schema, but all values of a map share one schema");
      }
      keys.add(child.name());
      plans.add(planned.plan());
    }
    if (keys.isEmpty()) {
      return new Planned(null, schema);
    }
    return new Planned(
        new MapPlan(node, keys.toArray(new String[0]), plans.toArray(new ValuePlan[0])), schema);
  }

  private static FieldPathException missingField(Schema schema, PathTree.Node child) {
    StringBuilder names = new StringBuilder();
    for (Field field : schema.fields()) {
      if (names.length() > 0) {
        names.append(", ");
      }
      names.append(field.name());
    }
    String where = schema.name() != null ? "schema " + schema.name() : "an unnamed struct schema";
    String field = child.prefixText();
    String ofPath = child.isLeaf() ? "" : " of path '" + child.firstPath() + "'";
    return new FieldPathException(
        child.firstPath(),
        "Field '" + field + "'" + ofPath + " not found in " + where + "; fields are: " + names);
  }

  private static String displayName(PathTree.Node node) {
    String prefix = node.prefixText();
    return prefix.isEmpty() ? "the record" : prefix;
  }
}
