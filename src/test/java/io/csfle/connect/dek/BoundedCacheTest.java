package io.csfle.connect.dek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {

  @Test
  void insertsBeyondTheBound_evictSoTheSizeStaysAtTheBound() {
    BoundedCache<Integer, String> cache = new BoundedCache<>(3);
    for (int i = 0; i < 100; i++) {
      cache.put(i, "v" + i);
      assertThat(cache.size()).isLessThanOrEqualTo(3);
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.get(99)).isEqualTo("v99");
  }

  @Test
  void withoutReads_theOldestInsertIsEvictedFirst() {
    BoundedCache<String, String> cache = cacheWith(2, "a", "b", "c");

    assertThat(cache.get("a")).isNull();
    assertThat(cache.get("b")).isEqualTo("B");
    assertThat(cache.get("c")).isEqualTo("C");
  }

  @Test
  void anEntryReadSinceTheLastSweep_isSparedAndAnUnreadOneEvicted() {
    BoundedCache<String, String> cache = cacheWith(3, "a", "b", "c");
    cache.get("a");
    cache.get("c");

    cache.put("d", "D");

    assertThat(cache.get("b")).isNull();
    assertThat(List.of(cache.get("a"), cache.get("c"), cache.get("d")))
        .containsExactly("A", "C", "D");
  }

  @Test
  void whenEveryEntryWasRead_evictionStillEndsAndMakesRoom() {
    BoundedCache<String, String> cache = cacheWith(2, "a", "b");
    cache.get("a");
    cache.get("b");

    cache.put("c", "C");

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("c")).isEqualTo("C");
  }

  @Test
  void replacingAValue_neitherGrowsNorEvicts() {
    BoundedCache<String, String> cache = cacheWith(2, "a", "b");

    cache.put("a", "A2");

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("a")).isEqualTo("A2");
    assertThat(cache.get("b")).isEqualTo("B");
  }

  @Test
  void capacityBelowOne_isRefused() {
    assertThatThrownBy(() -> new BoundedCache<>(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentReadersAndWriters_keepTheBoundAndReadOnlyWhatWasPut() throws Exception {
    BoundedCache<Integer, Integer> cache = new BoundedCache<>(64);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int seed = t;
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 20_000; i++) {
                  int key = (i * 31 + seed) % 200;
                  Integer value = cache.get(key);
                  if (value == null) {
                    cache.put(key, key * 2);
                  } else {
                    assertThat(value).isEqualTo(key * 2);
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(cache.size()).isEqualTo(64);
  }

  /** A cache of {@code capacity} into which each of {@code keys} was put, mapped to upper case. */
  private static BoundedCache<String, String> cacheWith(int capacity, String... keys) {
    BoundedCache<String, String> cache = new BoundedCache<>(capacity);
    for (String key : keys) {
      cache.put(key, key.toUpperCase(Locale.ROOT));
    }
    return cache;
  }
}
