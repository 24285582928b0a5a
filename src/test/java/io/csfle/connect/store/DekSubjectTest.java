package io.csfle.connect.store;

import static io.csfle.connect.store.StoreTestData.GCM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DekSubjectTest {

  @Test
  void missingKekSubjectOrAlgorithm_isRefused() {
    assertThatThrownBy(() -> new DekSubject(null, "s", GCM))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new DekSubject("k1", null, GCM))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new DekSubject("k1", "s", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void newDekWithoutSubject_isRefused() {
    assertThatThrownBy(() -> new NewDek(null, 1, new byte[1]))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_namesTheDekWithoutKeyBytes() {
    NewDek dek = new NewDek(new DekSubject("k1", "orders-value", GCM), 2, new byte[] {42});

    assertThat(dek.dekSubject()).hasToString("DEK 'orders-value' (AES256_GCM) of KEK 'k1'");
    assertThat(dek).hasToString("NewDek[DEK 'orders-value' (AES256_GCM) of KEK 'k1', version=2]");
  }
}
