/**
 * The embedded DEK store: Confluent's KEK/DEK data model kept in a compacted Kafka topic (default
 * {@code _csfle_keys}), for deployments without a registry server. It may import {@code crypto},
 * {@code registry}, Jackson and the Kafka clients, never {@code kms}, {@code dek} or anything
 * above. It holds wrapped key material only: no plaintext DEK is ever written to the topic.
 *
 * <p>Races. Two workers may create the same KEK or DEK version at once; exactly one must win, and
 * the decision must survive log compaction. Each create is a <em>claim</em> written under a record
 * key made of the entity id plus a fresh claim id (a UUID), in the partition chosen by the entity
 * id alone, so all claims for one entity are ordered by one partition's offsets. The winner is the
 * claim with the smallest <em>claim offset</em>; a claim's claim offset is its own offset. A writer
 * reports success only after reading the partition up to and including its own claim and finding
 * itself the winner; otherwise it tombstones its claim key and throws CONFLICT, and the DEK layer
 * reads back the winner. Claims of one entity never share a record key, because compaction keeps
 * the <em>last</em> record of a key, which for a shared key would be a loser's claim.
 *
 * <p>Compaction. Every later change of an entity (soft delete, undelete, re-wrap, KEK update) is
 * written under the winner's record key and carries the winner's claim offset in its value. Once
 * compaction drops the winner's original claim record, a fresh reader may meet a surviving loser
 * claim first, but the winner's later record states a smaller claim offset and takes the entity
 * back. A permanent delete tombstones the winner's key and every loser claim key seen, so no stale
 * claim can resurrect a shredded DEK once compaction has run. Permanently deleting a DEK is
 * crypto-shredding: the only copy of its wrapped key is gone, so data under it cannot be decrypted
 * again.
 *
 * <p>Partitions. The partition of an entity is a hash of its id modulo the partition count, so the
 * key topic's partition count must never change after creation: added partitions would move new
 * claims of an entity away from its earlier ones, where offsets no longer compare.
 */
package io.csfle.connect.store.kafka;
