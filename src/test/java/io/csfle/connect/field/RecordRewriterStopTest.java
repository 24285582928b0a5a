package io.csfle.connect.field;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * A value rewrite that gives up on a record ({@link ValueRewrite#stopped()}): the walk ends at once
 * and the input comes back, even where values already changed and the output schema differs.
 */
class RecordRewriterStopTest {

  /** Turns INT32 into STRING ("#n") until it meets {@code stopAt}, which it leaves and stops on. */
  private static final class StopAt implements FieldRewrite {
    private final Object stopAt;
    final List<String> calls = new ArrayList<>();
    private boolean stopped;

    StopAt(Object stopAt) {
      this.stopAt = stopAt;
    }

    @Override
    public Schema rewriteSchema(FieldPath path, Schema fieldSchema) {
      return fieldSchema.type() == Schema.Type.INT32
          ? new Rewrites.IntToString().rewriteSchema(path, fieldSchema)
          : fieldSchema;
    }

    @Override
    public Object rewriteValue(FieldPath path, Schema fieldSchema, Object value) {
      calls.add(path + "=" + value);
      if (value.equals(stopAt)) {
        stopped = true;
        return value;
      }
      return value instanceof Integer ? "#" + value : value.toString().toUpperCase();
    }

    @Override
    public boolean stopped() {
      return stopped;
    }
  }

  @Test
  void stopInsideAnArrayWhoseSchemaChanged_returnsTheInputAndCallsNoMore() {
    Struct basket = Baskets.basket().put("scores", List.of(1, 2, 3));
    StopAt rewrite = new StopAt(2);

    SchemaAndValue result =
        Records.rewriter(rewrite, "id", "scores[*]", "attrs[*]").rewrite(Baskets.BASKET, basket);

    assertThat(result.schema()).isSameAs(Baskets.BASKET);
    assertThat(result.value()).isSameAs(basket);
    assertThat(rewrite.calls).containsExactly("id=b-1", "scores[*]=1", "scores[*]=2");
  }

  @Test
  void stopInANestedStruct_returnsTheInputAndLeavesLaterFieldsAlone() {
    Struct order = Records.order();
    StopAt rewrite = new StopAt("ann@example.com");

    SchemaAndValue result =
        Records.rewriter(rewrite, "orderId", "customer.email", "note")
            .rewrite(Records.ORDER, order);

    assertThat(result.value()).isSameAs(order);
    assertThat(result.schema()).isSameAs(Records.ORDER);
    assertThat(rewrite.calls).containsExactly("orderId=o-1", "customer.email=ann@example.com");
  }

  @Test
  void stopInASchemalessMap_returnsTheInputMap() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("a", "x");
    value.put("b", "stop");
    value.put("c", "y");
    StopAt rewrite = new StopAt("stop");

    SchemaAndValue result = Records.rewriter(rewrite, "a", "b", "c").rewrite(null, value);

    assertThat(result.value()).isSameAs(value);
    assertThat(value).containsEntry("a", "x");
    assertThat(rewrite.calls).containsExactly("a=x", "b=stop");
  }

  @Test
  void stopInSchemalessListElements_returnsTheInputMap() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("list", List.of("x", "stop", "y"));
    StopAt rewrite = new StopAt("stop");

    SchemaAndValue result = Records.rewriter(rewrite, "list[*]").rewrite(null, value);

    assertThat(result.value()).isSameAs(value);
    assertThat(rewrite.calls).containsExactly("list[*]=x", "list[*]=stop");
  }

  @Test
  void neverStopping_rewritesAsUsual() {
    StopAt rewrite = new StopAt("never");

    SchemaAndValue result =
        Records.rewriter(rewrite, "orderId").rewrite(Records.ORDER, Records.order());

    assertThat(((Struct) result.value()).getString("orderId")).isEqualTo("O-1");
  }
}
