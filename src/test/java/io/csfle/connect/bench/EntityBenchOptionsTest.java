package io.csfle.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EntityBenchOptionsTest {
  @Test
  void numbers_mayHaveSeparators() {
    assertThat(EntityBenchOptions.parse(new String[] {"--entities", "100,000", "--new", "2_000"}))
        .containsEntry("entities", 100_000L)
        .containsEntry("new", 2_000L);
  }

  @Test
  void moreNewEntitiesThanStored_isRefused() {
    assertThatThrownBy(
            () -> EntityBenchOptions.parse(new String[] {"--entities", "10", "--new", "11"}))
        .hasMessageContaining("--new");
  }

  @Test
  void unknownOption_isRefused() {
    assertThatThrownBy(() -> EntityBenchOptions.parse(new String[] {"--entitys", "10"}))
        .hasMessageContaining("--entitys");
  }
}
