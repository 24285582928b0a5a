package io.csfle.connect.dek;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of the per-record DEK cache hit, for choosing the cache: {@link BoundedCache} (lock-free
 * CLOCK) against a plain {@link ConcurrentHashMap} (unbounded, the floor) and Kafka's {@code
 * LRUCache} in a {@code SynchronizedCache} (a lock per read). Not a test; run it with e.g. {@code
 * scripts/bench DekCacheRead -t 2} to see contention between threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DekCacheReadBenchmark {
  /** Subjects hit, all cached: the steady state. */
  @Param({"8", "1000"})
  public int subjects;

  private String[] keys;
  private BoundedCache<String, Object> clock;
  private ConcurrentHashMap<String, Object> unbounded;
  private Cache<String, Object> lru;

  @Setup
  public void setUp() {
    keys = new String[subjects];
    clock = new BoundedCache<>(subjects);
    unbounded = new ConcurrentHashMap<>();
    lru = new SynchronizedCache<>(new LRUCache<>(subjects));
    for (int i = 0; i < subjects; i++) {
      keys[i] = "topic-" + i + "-value";
      keys[i].hashCode();
      Object value = new Object();
      clock.put(keys[i], value);
      unbounded.put(keys[i], value);
      lru.put(keys[i], value);
    }
  }

  /** Each thread walks the subjects from its own position. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = (int) (Thread.currentThread().getId() * 7919);

    String key(String[] keys) {
      next = next + 1 == Integer.MAX_VALUE ? 0 : next + 1;
      return keys[next % keys.length];
    }
  }

  @Benchmark
  public Object boundedCache(Cursor cursor) {
    return clock.get(cursor.key(keys));
  }

  @Benchmark
  public Object concurrentHashMap(Cursor cursor) {
    return unbounded.get(cursor.key(keys));
  }

  @Benchmark
  public Object synchronizedLruCache(Cursor cursor) {
    return lru.get(cursor.key(keys));
  }
}
