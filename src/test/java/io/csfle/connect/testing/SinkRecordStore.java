package io.csfle.connect.testing;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Records received by {@link CollectingSinkTask}s, per collector id. A record redelivered after a
 * task restart replaces the earlier copy (same partition and offset), so tests see each once.
 */
public final class SinkRecordStore {
  private record Position(int partition, long offset) {}

  private static final Comparator<Position> ORDER =
      Comparator.comparingInt(Position::partition).thenComparingLong(Position::offset);

  private static final Map<String, Map<Position, SinkRecord>> RECORDS = new ConcurrentHashMap<>();

  private SinkRecordStore() {}

  static void add(String collectorId, Collection<SinkRecord> records) {
    Map<Position, SinkRecord> store =
        RECORDS.computeIfAbsent(collectorId, id -> new ConcurrentSkipListMap<>(ORDER));
    for (SinkRecord record : records) {
      store.put(new Position(record.kafkaPartition(), record.kafkaOffset()), record);
    }
  }

  /** The records received so far, ordered by partition and offset. */
  public static List<SinkRecord> records(String collectorId) {
    Map<Position, SinkRecord> store = RECORDS.get(collectorId);
    return store == null ? List.of() : List.copyOf(store.values());
  }

  public static int count(String collectorId) {
    Map<Position, SinkRecord> store = RECORDS.get(collectorId);
    return store == null ? 0 : store.size();
  }

  public static void clear(String collectorId) {
    RECORDS.remove(collectorId);
  }
}
