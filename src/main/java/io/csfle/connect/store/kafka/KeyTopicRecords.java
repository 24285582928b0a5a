package io.csfle.connect.store.kafka;

import java.util.Optional;

/**
 * Reads the key topic back for a {@link KeyTopicState} that keeps DEKs by position only: one record
 * by its offset (a first-sight lookup), or every record key (a listing).
 */
interface KeyTopicRecords {

  /** A readable record of the key topic and where it is. */
  record Parsed(RecordKey key, StoredEntity value, int partition, long offset) {}

  /** Receives the records of a scan. */
  interface Visitor {
    void visit(RecordKey key, int partition, long offset);
  }

  /** The record at exactly {@code offset}; empty when compaction removed it or it is unreadable. */
  Optional<Parsed> readAt(int partition, long offset);

  /** Every readable record key of the topic as it is now, in log order within a partition. */
  void scan(Visitor visitor);
}
