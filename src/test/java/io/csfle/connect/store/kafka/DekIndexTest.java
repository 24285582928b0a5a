package io.csfle.connect.store.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The primitive index against a plain map, through growth and removals that shift runs back. */
class DekIndexTest {

  @Test
  void putFindRemove_agreeWithAMap_throughGrowthAndCollidingHomes() {
    DekIndex index = new DekIndex();
    Map<Long, Long> expected = new HashMap<>();
    Random random = new Random(7);
    for (int n = 0; n < 20_000; n++) {
      // Few distinct low bits: many keys share a home slot, so runs are long.
      long hash = (random.nextInt(5_000) + 1L) << 40 | random.nextInt(3);
      if (random.nextInt(3) == 0) {
        index.remove(hash);
        expected.remove(hash);
      } else {
        index.put(hash, n % 7, n, n / 2, hash * 31, n % 2 == 0);
        expected.put(hash, (long) n);
      }
    }

    assertThat(index.size()).isEqualTo(expected.size());
    expected.forEach(
        (hash, offset) -> {
          int slot = index.find(hash);
          assertThat(slot).isNotNegative();
          assertThat(index.recordOffset(slot)).isEqualTo(offset);
          assertThat(index.claimOffset(slot)).isEqualTo(offset / 2);
          assertThat(index.partition(slot)).isEqualTo((int) (offset % 7));
          assertThat(index.deleted(slot)).isEqualTo(offset % 2 == 0);
          assertThat(index.claimHash(slot)).isEqualTo(hash * 31);
        });
    for (long hash = 1; hash < 5_000; hash++) {
      if (!expected.containsKey(hash << 40)) {
        assertThat(index.find(hash << 40)).isEqualTo(-1);
      }
    }
  }
}
