package io.csfle.connect.transforms;

import io.csfle.connect.PluginVersion;
import io.csfle.connect.dek.EntityKeys;
import io.csfle.connect.field.RecordRewriter;
import io.csfle.connect.field.SchemaRewrite;
import io.csfle.connect.field.ValueRewrite;
import io.csfle.connect.fieldcrypto.ConnectErrors;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * What {@link EncryptField} and {@link DecryptField} share: configuration, the DEK registry client,
 * the record walker, tombstone handling and error mapping ({@link ConnectErrors}). Subclasses
 * supply the schema side of the per-field function once, and a value side per record.
 *
 * <p>An instance holds no per-record state: everything a record needs (its subject, its DEK) lives
 * in the value side made for it, and the key caches' {@link RecordClock} keeps each record's start
 * with the thread processing it, so one instance may serve several threads.
 */
public abstract class FieldCryptoTransform<R extends ConnectRecord<R>>
    implements Transformation<R>, Versioned, Monitorable {
  static final int SCHEMA_CACHE_SIZE = 64;

  private final RecordSide side;
  private DekStore registry;
  private final List<AutoCloseable> keys = new ArrayList<>();
  private RecordRewriter rewriter;
  private SubjectTemplate subjects;
  final TransformMetrics metrics = new TransformMetrics();

  /** The key caches' clock: each record's start time while it is processed. */
  final RecordClock clock = new RecordClock();

  FieldCryptoTransform(RecordSide side) {
    this.side = side;
  }

  @Override
  public void configure(Map<String, ?> props) {
    CsfleConfig config = new CsfleConfig(config(), props);
    subjects = config.subjectTemplate(side.isKey());
    DekStore created = config.openDekStore();
    try {
      SchemaRewrite rewrite = createRewrite(config, created);
      rewriter =
          new RecordRewriter(
              config.fieldPaths(), rewrite, config.missingFieldPolicy(), SCHEMA_CACHE_SIZE);
    } catch (RuntimeException e) {
      closeKeys();
      created.close();
      throw e instanceof ConfigException ? e : new ConfigException(e.getMessage());
    }
    registry = created;
  }

  /** The part of the record this transform changes. */
  RecordSide side() {
    return side;
  }

  /** Builds the schema side of the per-field function once, at configure time. */
  abstract SchemaRewrite createRewrite(CsfleConfig config, DekStore registry);

  /**
   * The entity keys of this transform's record-data subjects, counted in its KMS metrics. Readers
   * build them whatever {@code dek.entity.wrap} says, since data may have been written either way.
   */
  EntityKeys entityKeys(CsfleConfig config, DekStore registry) {
    return new EntityKeys(
        registry,
        KekProviders.standard().withListener(metrics::kmsCall),
        config.kekSettings(),
        config.algorithm(),
        config.expiryDays(),
        clock,
        config.entityCacheMaxEntries(),
        config.dekCacheTtlMillis());
  }

  /** Registers the keys {@link #createRewrite} builds, so that closing closes their KMS clients. */
  <K extends AutoCloseable> K owned(K built) {
    keys.add(built);
    return built;
  }

  private void closeKeys() {
    for (AutoCloseable built : keys) {
      Utils.closeQuietly(built, "DEK keys");
    }
    keys.clear();
  }

  /**
   * The value side of the per-field function for one record, whose DEK subject {@code subjects}
   * renders from it. Must neither render the subject nor resolve keys itself: a record that has no
   * field to process must make no registry call, and must not fail for lack of the data the subject
   * template reads.
   */
  abstract ValueRewrite forRecord(ConnectRecord<?> record, SubjectTemplate subjects);

  /** "encrypting" or "decrypting", for error messages. */
  abstract String action();

  @Override
  public R apply(R record) {
    Object value = side.value(record);
    if (value == null) {
      return record; // tombstone or null key: nothing to protect
    }
    long start = System.nanoTime();
    clock.startRecord(start);
    ValueRewrite values;
    SchemaAndValue rewritten;
    try {
      values = forRecord(record, subjects);
      rewritten = rewriter.rewrite(side.schema(record), value, values);
    } catch (RuntimeException e) {
      metrics.recordFailed();
      throw ConnectErrors.map(e, ConnectErrors.coordinates(record), action());
    } finally {
      clock.endRecord();
    }
    R result = rewritten(record, values, rewritten);
    metrics.recordTime(System.nanoTime() - start);
    return result;
  }

  /** The record with its rewritten side; {@code values} is the value side that rewrote it. */
  R rewritten(R record, ValueRewrite values, SchemaAndValue rewritten) {
    metrics.recordProcessed();
    return side.newRecord(record, rewritten.schema(), rewritten.value());
  }

  @Override
  public abstract ConfigDef config();

  @Override
  public void withPluginMetrics(PluginMetrics pluginMetrics) {
    metrics.register(pluginMetrics, pastTense());
  }

  private String pastTense() {
    return action().equals("encrypting") ? "encrypted" : "decrypted";
  }

  @Override
  public String version() {
    return PluginVersion.get();
  }

  @Override
  public void close() {
    if (rewriter != null) {
      metrics.logSummary(getClass().getName(), pastTense());
    }
    closeKeys();
    if (registry != null) {
      registry.close();
      registry = null;
    }
    rewriter = null;
  }
}
