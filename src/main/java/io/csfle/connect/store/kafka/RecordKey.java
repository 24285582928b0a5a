package io.csfle.connect.store.kafka;

/**
 * The key of a record in the key topic: the entity plus the id of the claim that created it. Two
 * writers claiming the same entity use different keys, so compaction can never keep a loser's claim
 * in place of the winner's: the winner's key only ever carries the winner's records.
 */
record RecordKey(EntityId entity, String claim) {}
