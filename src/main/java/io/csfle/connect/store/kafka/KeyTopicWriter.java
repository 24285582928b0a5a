package io.csfle.connect.store.kafka;

import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.kafka.KeyTopicLog.Written;
import io.csfle.connect.store.kafka.KeyTopicState.Entry;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write protocol of the key topic: claims decided by log order, updates under the winner's key,
 * and permanent deletes that tombstone every claim key of an entity. Each write is read back before
 * it is reported, so a caller never hears "created" for a claim that lost.
 */
final class KeyTopicWriter {
  private static final Logger LOG = LoggerFactory.getLogger(KeyTopicWriter.class);
  private final KeyTopicLog log;

  KeyTopicWriter(KeyTopicLog log) {
    this.log = log;
  }

  /**
   * Writes a claim under a fresh claim id, reads the log up to and including it, and returns only
   * if that claim is the winner. A loser tombstones its own claim and throws CONFLICT.
   */
  StoredEntity claim(EntityId id, StoredEntity value) {
    if (log.read(s -> s.entry(id)).isPresent()) {
      throw KafkaFailures.conflict(id.toString());
    }
    RecordKey key = new RecordKey(id, UUID.randomUUID().toString());
    Written written = log.append(key, value, "Creating " + id);
    log.syncThrough(written.partition(), written.offset());
    Optional<Entry> entry = log.read(s -> s.entry(id));
    if (entry.isPresent() && entry.get().winnerClaim().equals(key.claim())) {
      return entry.get().value();
    }
    try {
      log.append(key, null, "Withdrawing a losing claim for " + id);
    } catch (DekStoreException e) {
      // Harmless if it stays: a later claim never outranks the winner, and a permanent delete
      // tombstones every loser it has seen. The caller must still hear that it lost.
      LOG.warn("Could not withdraw a losing claim for {}: {}", id, e.getMessage());
    }
    throw KafkaFailures.conflict(id.toString());
  }

  /** Writes {@code value} under the winner's key, carrying the winner's claim offset. */
  StoredEntity update(EntityId id, StoredEntity value) {
    Entry entry =
        log.read(s -> s.entry(id)).orElseThrow(() -> KafkaFailures.notFound(id.toString()));
    RecordKey key = new RecordKey(id, entry.winnerClaim());
    Written written = log.append(key, value.continuing(entry.claimOffset()), "Updating " + id);
    log.syncThrough(written.partition(), written.offset());
    return log.read(s -> s.entry(id))
        .orElseThrow(() -> KafkaFailures.notFound(id.toString()))
        .value();
  }

  /** Tombstones every claim key seen for the entity, losers first, then the winner. */
  void shred(EntityId id) {
    Entry entry =
        log.read(s -> s.entry(id)).orElseThrow(() -> KafkaFailures.notFound(id.toString()));
    for (String loser : entry.loserClaims()) {
      log.append(new RecordKey(id, loser), null, "Deleting " + id);
    }
    Written written = log.append(new RecordKey(id, entry.winnerClaim()), null, "Deleting " + id);
    log.syncThrough(written.partition(), written.offset());
  }
}
