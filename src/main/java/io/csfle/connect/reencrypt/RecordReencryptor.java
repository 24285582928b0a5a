package io.csfle.connect.reencrypt;

import io.csfle.connect.config.EncryptOutputKeys;
import io.csfle.connect.config.FieldCryptoSettings;
import io.csfle.connect.dek.DecryptionKeys;
import io.csfle.connect.dek.EncryptionKeys;
import io.csfle.connect.dek.EntityKeys;
import io.csfle.connect.field.RecordRewriter;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
import io.csfle.connect.fieldcrypto.EntityKeyChoice;
import io.csfle.connect.fieldcrypto.FieldEncryptor;
import io.csfle.connect.fieldcrypto.FieldReencryptor;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;

/**
 * Turns one source record into its target record: converts key and value to Connect data, then
 * re-encrypts the configured value fields ({@link FieldReencryptor}) or, for a plaintext source,
 * encrypts them ({@link FieldEncryptor}, with the DEK subjects and typed-output setting {@code
 * EncryptField} would use). The output keeps partition, key, timestamp and headers (as bytes), and
 * carries the source coordinates as Connect source partition and offset.
 *
 * <p>Subjects come from the subject templates: the source's is rendered from the record as read
 * (its source topic), the target's from the record addressed to its target topic, both from data
 * the job neither decrypts nor encrypts ({@link SubjectRules}). A target template that reads record
 * data writes each record under its entity's key, as {@code EncryptField} with the same settings
 * would; a source template that reads record data reads entity keys.
 */
final class RecordReencryptor implements AutoCloseable {
  /**
   * Cached keys are checked against the store again after this long, as the transforms' default
   * {@code dek.cache.ttl.ms}: a key forgotten while the job runs stops being used (an entity's data
   * is then neither decrypted nor re-encrypted under a fresh key).
   */
  private static final long KEY_TTL_MILLIS = DecryptionKeys.DEFAULT_TTL_MILLIS;

  static final String PARTITION_TOPIC_KEY = "topic";
  static final String PARTITION_KEY = "partition";
  static final String OFFSET_KEY = "offset";
  private static final int SCHEMA_CACHE_SIZE = 64;

  /** What happened to a record. */
  enum Outcome {
    REENCRYPTED,
    SKIPPED
  }

  /** The result: the outcome, the record to write, and the source DEK versions seen. */
  record Result(Outcome outcome, SourceRecord output, Map<Integer, Integer> sourceVersions) {}

  private final ReencryptSourceConfig config;
  private final Converter keyConverter;
  private final Converter valueConverter;
  private final FieldCryptoSettings source;
  private final FieldCryptoSettings target;
  private final RecordStats stats = new RecordStats();
  private final FieldReencryptor reencryption;
  private final FieldEncryptor plaintextEncryption;
  private final RecordRewriter rewriter;
  private final DecryptionKeys sourceKeys;
  private final EncryptionKeys targetKeys;
  private final EntityKeys targetEntityKeys;
  private final SubjectTemplate sourceSubjects;
  private final SubjectTemplate targetSubjects;

  /** Per source topic: the target topic and the source partition keys, built once. */
  private final Map<String, Route> routes = new HashMap<>();

  private record Route(String targetTopic, Map<Integer, Map<String, Object>> partitionKeys) {}

  RecordReencryptor(ReencryptSourceConfig config, DekStore registry, KekProviders providers) {
    this.config = config;
    this.keyConverter = config.keyConverter();
    this.valueConverter = config.valueConverter();
    this.target = config.target();
    boolean plaintext = config.sourcePlaintext();
    this.source = plaintext ? null : config.source();
    this.targetKeys =
        new EncryptionKeys(
            registry,
            providers,
            target.kek(),
            target.algorithm(),
            target.expiryDays(),
            System::currentTimeMillis,
            plaintext
                ? EncryptOutputKeys.dekCacheMaxSubjects(EncryptOutputKeys.parse(config.originals()))
                : EncryptionKeys.DEFAULT_MAX_SUBJECTS,
            KEY_TTL_MILLIS);
    this.targetSubjects = config.targetSubjects();
    this.sourceSubjects = plaintext ? null : config.sourceSubjects();
    this.targetEntityKeys =
        config.targetUsesEntityKeys() ? entityKeys(registry, providers, target) : null;
    EntityKeyChoice entities =
        targetEntityKeys == null
            ? null
            : new EntityKeyChoice(targetEntityKeys, config.entityParentSubjects());
    SchemaRewrite rewrite;
    if (plaintext) {
      this.sourceKeys = null;
      this.reencryption = null;
      this.plaintextEncryption =
          new FieldEncryptor(
              targetKeys,
              entities,
              EncryptOutputKeys.typedValuesAsBytes(EncryptOutputKeys.parse(config.originals())));
      rewrite = plaintextEncryption;
    } else {
      // As DecryptField: entity keys are read whatever dek.entity.wrap says.
      this.sourceKeys =
          new DecryptionKeys(
              registry,
              providers,
              source.kek(),
              source.algorithm(),
              DecryptionKeys.DEFAULT_MAX_CACHED,
              sourceSubjects.readsRecordData() ? entityKeys(registry, providers, source) : null);
      this.plaintextEncryption = null;
      this.reencryption =
          new FieldReencryptor(
              sourceKeys,
              source.rotating(),
              targetKeys,
              entities,
              config.verifyOnly(),
              source.kek().name().equals(target.kek().name())
                  && source.algorithm() == target.algorithm());
      rewrite = reencryption;
    }
    this.rewriter =
        new RecordRewriter(
            target.fields(), rewrite, target.missingFieldPolicy(), SCHEMA_CACHE_SIZE);
  }

  private EntityKeys entityKeys(
      DekStore registry, KekProviders providers, FieldCryptoSettings side) {
    return new EntityKeys(
        registry,
        providers,
        side.kek(),
        side.algorithm(),
        side.expiryDays(),
        System::currentTimeMillis,
        config.entityCacheMaxEntries(),
        KEY_TTL_MILLIS);
  }

  /**
   * Processes one record.
   *
   * @throws RuntimeException the lower layer's failure; its {@link
   *     io.csfle.connect.fieldcrypto.FailureKind} says what it means
   */
  Result process(ConsumerRecord<byte[], byte[]> record) {
    Route route = routeFor(record.topic());
    SourceRecord converted = convert(record, route.targetTopic());
    if (converted.value() == null) {
      return new Result(Outcome.SKIPPED, converted, Map.of());
    }
    stats.reset();
    SchemaAndValue rewritten =
        rewriter.rewrite(
            converted.valueSchema(), converted.value(), valuesFor(record.topic(), converted));
    if (plaintextEncryption != null) {
      return new Result(Outcome.REENCRYPTED, withValue(converted, rewritten), Map.of());
    }
    Map<Integer, Integer> versions = Map.copyOf(stats.sourceVersions());
    if (stats.unchanged()) {
      return new Result(Outcome.SKIPPED, converted, versions);
    }
    return new Result(Outcome.REENCRYPTED, withValue(converted, rewritten), versions);
  }

  /**
   * The value side for {@code converted}, read from {@code sourceTopic}: its subjects and, once
   * needed, its DEKs.
   */
  private ValueRewrite valuesFor(String sourceTopic, SourceRecord converted) {
    if (plaintextEncryption != null) {
      return plaintextEncryption.forRecord(converted, targetSubjects);
    }
    Supplier<String> sourceSubject =
        sourceSubjects.readsRecordData()
            ? () -> sourceSubjects.subjectOf(asRead(sourceTopic, converted))
            : () -> sourceSubjects.subjectForTopic(sourceTopic);
    return reencryption.forRecord(sourceSubject, converted, targetSubjects, stats);
  }

  /**
   * {@code converted} with its source topic, for a source subject rendered from record data; itself
   * when in place. A copy, so made only for such a subject.
   */
  private static SourceRecord asRead(String sourceTopic, SourceRecord converted) {
    if (sourceTopic.equals(converted.topic())) {
      return converted;
    }
    return converted.newRecord(
        sourceTopic,
        converted.kafkaPartition(),
        converted.keySchema(),
        converted.key(),
        converted.valueSchema(),
        converted.value(),
        converted.timestamp(),
        converted.headers());
  }

  private static SourceRecord withValue(SourceRecord converted, SchemaAndValue rewritten) {
    return converted.newRecord(
        converted.topic(),
        converted.kafkaPartition(),
        converted.keySchema(),
        converted.key(),
        rewritten.schema(),
        rewritten.value(),
        converted.timestamp(),
        converted.headers());
  }

  /** The job's topics are fixed when it starts, so the cache needs no bound. */
  private Route routeFor(String sourceTopic) {
    return routes.computeIfAbsent(
        sourceTopic,
        topic -> {
          return new Route(config.targetTopic(topic), new HashMap<>());
        });
  }

  /** The record's source partition key, the same map for every record of its partition. */
  private Map<String, Object> partitionKeyOf(ConsumerRecord<?, ?> record) {
    return routeFor(record.topic())
        .partitionKeys()
        .computeIfAbsent(record.partition(), p -> sourcePartition(record.topic(), p));
  }

  /** The record as it is, addressed to {@code topic} (same partition), with its source offset. */
  SourceRecord convert(ConsumerRecord<byte[], byte[]> record, String topic) {
    SchemaAndValue key = keyConverter.toConnectData(record.topic(), record.headers(), record.key());
    SchemaAndValue value =
        valueConverter.toConnectData(record.topic(), record.headers(), record.value());
    return new SourceRecord(
        partitionKeyOf(record),
        Map.of(OFFSET_KEY, record.offset()),
        topic,
        record.partition(),
        key.schema(),
        key.value(),
        value.schema(),
        value.value(),
        record.timestamp(),
        headersOf(record));
  }

  /** The record's raw key and value bytes (BYTES schemas), addressed to {@code topic}. */
  SourceRecord rawBytes(ConsumerRecord<byte[], byte[]> record, String topic) {
    return new SourceRecord(
        partitionKeyOf(record),
        Map.of(OFFSET_KEY, record.offset()),
        topic,
        record.partition(),
        Schema.OPTIONAL_BYTES_SCHEMA,
        record.key(),
        Schema.OPTIONAL_BYTES_SCHEMA,
        record.value(),
        record.timestamp(),
        headersOf(record));
  }

  /**
   * The source partition key. A HashMap on purpose: Connect stores the key as JSON in the map's
   * iteration order and reads it back into a HashMap, so only HashMap order finds the stored offset
   * again in every JVM ({@code Map.of} order changes from one JVM to the next).
   */
  static Map<String, Object> sourcePartition(String topic, int partition) {
    Map<String, Object> key = new HashMap<>();
    key.put(PARTITION_TOPIC_KEY, topic);
    key.put(PARTITION_KEY, partition);
    return Collections.unmodifiableMap(key);
  }

  /** Headers as bytes: written back unchanged by a ByteArrayConverter header converter. */
  static ConnectHeaders headersOf(ConsumerRecord<byte[], byte[]> record) {
    ConnectHeaders headers = new ConnectHeaders();
    for (Header header : record.headers()) {
      headers.add(header.key(), header.value(), Schema.OPTIONAL_BYTES_SCHEMA);
    }
    return headers;
  }

  @Override
  public void close() {
    if (sourceKeys != null) {
      sourceKeys.close();
    }
    targetKeys.close();
    if (targetEntityKeys != null) {
      targetEntityKeys.close();
    }
    org.apache.kafka.common.utils.Utils.closeQuietly(keyConverter, "source key converter");
    org.apache.kafka.common.utils.Utils.closeQuietly(valueConverter, "source value converter");
  }
}
