package io.csfle.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostBudgetTest {
  @Test
  void table_sumsThePieces_andShowsTheRestAndTheBestReachableRatio() {
    Map<String, Double> nanos = new HashMap<>();
    nanos.put("encrypt1KiBSmt", 1000.0);
    nanos.put("rawTinkEncrypt1KiB", 800.0);
    nanos.put("cipherEncrypt1KiB", 700.0);
    nanos.put("base64Encode1KiB", 100.0);
    nanos.put("walkStruct1KiB", 60.0);
    nanos.put("newRecord", 20.0);
    nanos.put("timing", 20.0);

    String table = CostBudget.table(nanos);

    // sum 900, rest 100, best 800 / (800 + 200) = 80 %
    assertThat(table)
        .contains(
            "| Struct 1x1KiB encrypt | 800 | 1000 | 80.0 % | 700 | 100 | 60 | 20 | 20 | 900 | 100 |"
                + " 80.0 % |");
  }

  @Test
  void shapesWithoutTheirTransformOrTwin_areLeftOut() {
    Map<String, Double> nanos = new HashMap<>();
    nanos.put("encryptFieldSmt", 1000.0);

    assertThat(CostBudget.table(nanos)).doesNotContain("Struct 3x20-40 encrypt |");
  }

  @Test
  void everyPieceNamed_isABenchmarkMethod() throws Exception {
    for (CostBudget.Shape shape : CostBudget.SHAPES) {
      FieldEncryptionBenchmark.class.getMethod(shape.transform());
      assertThat(hasMethod(FieldEncryptionBenchmark.class, shape.twin())).isTrue();
      for (String piece : new String[] {shape.cipher(), shape.base64(), shape.walk()}) {
        assertThat(hasMethod(FieldEncryptionBreakdownBenchmark.class, piece)).as(piece).isTrue();
      }
    }
    assertThat(hasMethod(FieldEncryptionBreakdownBenchmark.class, CostBudget.NEW_RECORD)).isTrue();
    assertThat(hasMethod(FieldEncryptionBreakdownBenchmark.class, CostBudget.TIMING)).isTrue();
  }

  private static boolean hasMethod(Class<?> type, String name) {
    for (var method : type.getMethods()) {
      if (method.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
