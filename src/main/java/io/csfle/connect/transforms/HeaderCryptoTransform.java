package io.csfle.connect.transforms;

import io.csfle.connect.PluginVersion;
import io.csfle.connect.config.HeaderSelection;
import io.csfle.connect.fieldcrypto.ConnectErrors;
import io.csfle.connect.store.DekStore;
import io.csfle.connect.subject.SubjectTemplate;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * What {@link EncryptHeaders} and {@link DecryptHeaders} share: configuration, the DEK store, the
 * walk over a record's headers and error mapping ({@link ConnectErrors}). Every header whose name
 * {@code headers} selects and whose value is not null is rewritten, in place and order, repeated
 * names included; every other header is kept as it is. A record with no chosen header is returned
 * as it came and makes no DEK store call. Tombstones are processed too: their headers may carry
 * personal data like any other's.
 */
public abstract class HeaderCryptoTransform<R extends ConnectRecord<R>>
    implements Transformation<R>, Versioned, Monitorable {
  private final String action;
  private final String verb;
  private final ConfigDef definition;
  private AutoCloseable storeAndKeys;
  private HeaderSelection selection;
  private SubjectTemplate subjects;
  final TransformMetrics metrics = new TransformMetrics();

  /** The key caches' clock: each record's start time while it is processed. */
  final RecordClock clock = new RecordClock();

  /**
   * @param action "encrypting" or "decrypting", for error messages
   * @param verb "encrypted" or "decrypted", for metric descriptions
   */
  HeaderCryptoTransform(String action, String verb, ConfigDef definition) {
    this.action = action;
    this.verb = verb;
    this.definition = definition;
  }

  /** One record's rewrite of one chosen header. */
  interface HeaderRewrite {
    SchemaAndValue rewrite(String name, Schema schema, Object value);
  }

  @Override
  public void configure(Map<String, ?> props) {
    HeaderCryptoConfig config = new HeaderCryptoConfig(config(), props);
    selection = config.headerSelection();
    subjects = config.headerSubjects();
    DekStore store = config.openDekStore();
    AutoCloseable keys;
    try {
      keys = createKeys(config, store);
    } catch (RuntimeException e) {
      store.close();
      throw e instanceof ConfigException ? e : new ConfigException(e.getMessage());
    }
    storeAndKeys =
        () -> {
          Utils.closeQuietly(keys, "DEK keys");
          store.close();
        };
  }

  /** Builds the DEK side once, at configure time; what it returns is closed with the transform. */
  abstract AutoCloseable createKeys(HeaderCryptoConfig config, DekStore store);

  /** The rewrite for one record whose headers are under {@code subject}; resolves no key. */
  abstract HeaderRewrite forRecord(ConnectRecord<?> record, String subject);

  @Override
  public R apply(R record) {
    if (!hasChosenHeader(record.headers())) {
      return record;
    }
    long start = System.nanoTime();
    clock.startRecord(start);
    Headers rewritten = new ConnectHeaders();
    try {
      HeaderRewrite rewrite = forRecord(record, subjects.subjectOf(record));
      for (Header header : record.headers()) {
        if (header.value() != null && selection.selects(header.key())) {
          SchemaAndValue done = rewrite.rewrite(header.key(), header.schema(), header.value());
          rewritten.add(header.key(), done);
        } else {
          rewritten.add(header);
        }
      }
    } catch (RuntimeException e) {
      metrics.recordFailed();
      throw ConnectErrors.map(e, ConnectErrors.coordinates(record), action);
    } finally {
      clock.endRecord();
    }
    metrics.recordProcessed();
    metrics.recordTime(System.nanoTime() - start);
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        record.key(),
        record.valueSchema(),
        record.value(),
        record.timestamp(),
        rewritten);
  }

  private boolean hasChosenHeader(Headers headers) {
    for (Header header : headers) {
      if (header.value() != null && selection.selects(header.key())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public ConfigDef config() {
    return definition;
  }

  @Override
  public void withPluginMetrics(PluginMetrics pluginMetrics) {
    metrics.register(pluginMetrics, verb);
  }

  @Override
  public String version() {
    return PluginVersion.get();
  }

  @Override
  public void close() {
    if (storeAndKeys != null) {
      metrics.logSummary(getClass().getName(), verb);
      Utils.closeQuietly(storeAndKeys, "DEK store and keys");
      storeAndKeys = null;
    }
  }
}
