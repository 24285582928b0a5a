package io.csfle.connect.field;

import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Rewrites some fields of a Struct of one schema. The fields to act on and the fields to copy are
 * resolved to {@link Field} objects when the schema is planned, so a record costs only array reads
 * and {@link Struct#put(Field, Object)}.
 *
 * <p>Values on a path are read with {@link Struct#get(Field)}, which substitutes a field's default
 * for an unset value, as converters do when they serialize: a defaulted field is rewritten like any
 * value, so the output never falls back on a default the rewrite did not see. Fields copied
 * unchanged stay unset where they were unset.
 *
 * <p>Fields are read by position, so a Struct is only ever read through its own schema: a Struct
 * whose schema is not the planned instance must have the same shape ({@link StructShapes}), or the
 * record fails; a mismatch would otherwise put one field's value (plaintext) in another's place.
 * Converters hand out one schema instance, so the check is an identity comparison; a structural
 * comparison runs once per other instance seen, and the last instance that passed is remembered.
 */
final class StructPlan implements ValuePlan {
  private final PathTree.Node node;
  private final Schema inputSchema;

  /** The output schema when it differs from the input's, else null (copies reuse the input's). */
  private final Schema changedSchema;

  private final Field[] actionInputFields;
  private final Field[] actionOutputFields;
  private final ValuePlan[] actionPlans;
  private final PathTree.Node[] actionNodes;
  private final Field[] passiveInputFields;
  private final Field[] passiveOutputFields;

  /** The last schema instance other than {@link #inputSchema} found to have its shape. */
  private volatile Schema lastSameShape;

  /**
   * Plans a Struct whose field {@code i} is rewritten by {@code plansByIndex[i]} for path node
   * {@code nodesByIndex[i]}, or copied when that is null.
   */
  StructPlan(
      PathTree.Node node,
      Schema inputSchema,
      Schema outputSchema,
      ValuePlan[] plansByIndex,
      PathTree.Node[] nodesByIndex) {
    this.node = node;
    this.inputSchema = inputSchema;
    this.changedSchema = outputSchema == inputSchema ? null : outputSchema;
    List<Field> inFields = inputSchema.fields();
    List<Field> outFields = outputSchema.fields();
    int actions = 0;
    for (ValuePlan plan : plansByIndex) {
      actions += plan == null ? 0 : 1;
    }
    this.actionInputFields = new Field[actions];
    this.actionOutputFields = new Field[actions];
    this.actionPlans = new ValuePlan[actions];
    this.actionNodes = new PathTree.Node[actions];
    this.passiveInputFields = new Field[inFields.size() - actions];
    this.passiveOutputFields = new Field[inFields.size() - actions];
    int a = 0;
    int p = 0;
    for (int i = 0; i < inFields.size(); i++) {
      if (plansByIndex[i] != null) {
        actionInputFields[a] = inFields.get(i);
        actionOutputFields[a] = outFields.get(i);
        actionPlans[a] = plansByIndex[i];
        actionNodes[a++] = nodesByIndex[i];
      } else {
        passiveInputFields[p] = inFields.get(i);
        passiveOutputFields[p++] = outFields.get(i);
      }
    }
  }

  @Override
  public Object apply(Object value, ValueRewrite rewrite) {
    if (!(value instanceof Struct)) {
      throw new FieldPathException(
          node.firstPath(),
          "Field path '"
              + node.firstPath()
              + "' goes through '"
              + node.prefixText()
              + "', which holds a "
              + value.getClass().getName()
              + ", not a Struct");
    }
    Struct input = (Struct) value;
    Schema own = input.schema();
    if (own != inputSchema && own != lastSameShape) {
      checkShape(own);
    }
    // A new schema needs a new Struct whatever the values; otherwise copy only on the first change.
    Struct output = changedSchema == null ? null : copyPassive(input, new Struct(changedSchema));
    for (int i = 0; i < actionPlans.length; i++) {
      Object old = input.get(actionInputFields[i]);
      if (old == null) {
        continue;
      }
      Object rewritten = actionPlans[i].apply(old, rewrite);
      if (rewrite.stopped()) {
        return input;
      }
      if (rewritten != old) {
        if (output == null) {
          output = copyUnchangedBefore(input, i);
        }
        putRewritten(output, i, rewritten);
      } else if (output != null) {
        // Unchanged value (so unchanged field schema) in a new Struct: the passive copy skipped it.
        copyField(input, actionInputFields[i], output, actionOutputFields[i]);
      }
    }
    return output == null ? input : output;
  }

  private void checkShape(Schema own) {
    if (!StructShapes.same(inputSchema, own)) {
      String where = node.prefixText().isEmpty() ? "the record" : "'" + node.prefixText() + "'";
      throw new FieldPathException(
          node.firstPath(),
          "Field path '"
              + node.firstPath()
              + "' goes through "
              + where
              + ", whose Struct is not of the schema declared for it (Struct fields "
              + StructShapes.fieldNames(own)
              + ", declared "
              + StructShapes.fieldNames(inputSchema)
              + ", or their types differ); a Struct is only read through its own schema");
    }
    lastSameShape = own;
  }

  private void putRewritten(Struct output, int action, Object rewritten) {
    if (StructValues.putPlain(output, actionOutputFields[action], rewritten)) {
      return;
    }
    try {
      output.put(actionOutputFields[action], rewritten);
    } catch (FieldPathException e) {
      throw e;
    } catch (RuntimeException e) {
      // Connect's validation names only the field; name the configured path as well.
      FieldPath path = actionNodes[action].firstPath();
      throw new FieldPathException(
          path,
          "The rewritten value of '"
              + actionNodes[action].prefixText()
              + "' does not fit its output schema: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Copies the fields no path touches; their schemas are the same in input and output. The fields
   * paths act on are left empty in the output.
   */
  private Struct copyPassive(Struct input, Struct output) {
    if (StructValues.copyAllBut(input, output, actionOutputFields)) {
      return output;
    }
    for (int i = 0; i < passiveInputFields.length; i++) {
      copyField(input, passiveInputFields[i], output, passiveOutputFields[i]);
    }
    return output;
  }

  /**
   * Starts the copy when the schema is unchanged and action {@code firstChanged} is the first
   * rewritten value: the passive fields and the (unchanged) actions before it. Later actions are
   * put by the caller, so no field is put twice (each {@link Struct#put(Field, Object)} validates
   * the value and builds a string). The copy takes the planned schema, not the value's (which, for
   * a Struct default, is a SchemaBuilder): the planned instance is the one the parent's field
   * holds, so the parent's schema check is an identity check.
   */
  private Struct copyUnchangedBefore(Struct input, int firstChanged) {
    Struct output = copyPassive(input, new Struct(inputSchema));
    for (int i = 0; i < firstChanged; i++) {
      copyField(input, actionInputFields[i], output, actionOutputFields[i]);
    }
    return output;
  }

  /** Copies one value as it is held, unset where it was unset (see {@link StructValues}). */
  private static void copyField(Struct input, Field inputField, Struct output, Field outputField) {
    StructValues.copy(input, inputField, output, outputField);
  }
}
