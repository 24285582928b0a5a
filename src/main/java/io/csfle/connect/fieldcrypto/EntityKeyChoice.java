package io.csfle.connect.fieldcrypto;

import io.csfle.connect.dek.EncryptionKey;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.dek.EntityKeys;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.Objects;
import org.apache.kafka.connect.connector.ConnectRecord;

/**
 * How a writer keys the subjects a record-data template renders: with entity keys under the parent
 * subject DEK that {@code parentSubjects} names for the record's topic ({@code
 * dek.entity.parent.subject}).
 *
 * @param parentSubjects a template that reads nothing but the topic
 */
public record EntityKeyChoice(EntityKeys entities, SubjectTemplate parentSubjects) {

  public EntityKeyChoice {
    Objects.requireNonNull(entities, "entities");
    if (parentSubjects.readsRecordData()) {
      throw new IllegalArgumentException("the parent subject template may only read the topic");
    }
  }

  /** The key for {@code subject}, rendered from {@code record}; ordinary DEKs from {@code keys}. */
  EncryptionKey keyOf(ConnectRecord<?> record, String subject, EncryptionKeys keys) {
    return entities.forEntity(
        parentSubjects.subjectForTopic(record.topic()), subject, keys::forSubject);
  }
}
