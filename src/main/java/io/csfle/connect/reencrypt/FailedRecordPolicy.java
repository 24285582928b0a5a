package io.csfle.connect.reencrypt;

import io.csfle.connect.fieldcrypto.ConnectErrors;
import io.csfle.connect.fieldcrypto.FailureKind;
import io.csfle.connect.fieldcrypto.FieldCryptoException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the task does with a record it cannot re-encrypt: in verify mode it logs and goes on; with
 * an errors topic it sends the source record there unchanged; otherwise the failure stops the task.
 * Only a failure of the record itself ({@link FailureKind#RECORD}) is absorbed: an outage or a
 * configuration problem is not the record's fault and always goes back to Connect.
 */
final class FailedRecordPolicy {
  // The task's logger: the verify-mode lines keep the category operators already filter on.
  private static final Logger log = LoggerFactory.getLogger(ReencryptSourceTask.class);
  private static final String ACTION = "re-encrypting";
  static final String HEADER_PREFIX = "csfle.reencrypt.";

  private final ReencryptSourceConfig config;
  private final RecordReencryptor reencryptor;

  FailedRecordPolicy(ReencryptSourceConfig config, RecordReencryptor reencryptor) {
    this.config = config;
    this.reencryptor = reencryptor;
  }

  /**
   * Absorbs {@code failure} of {@code record} (logged, or its error record added to {@code out}) or
   * rethrows it.
   */
  void absorbOrThrow(
      ConsumerRecord<byte[], byte[]> record, RuntimeException failure, List<SourceRecord> out) {
    if (FailureKind.of(failure) != FailureKind.RECORD) {
      throw failure; // not this record's fault: poll() maps it, and Connect retries or stops
    }
    if (config.verifyOnly()) {
      log.warn("Verify: {}", toConnect(failure, record).getMessage());
    } else if (config.errorsTopic() != null) {
      out.add(errorRecord(record, failure));
    } else {
      throw failure;
    }
  }

  /** {@code failure} as Connect reports it, naming the record by its coordinates. */
  static ConnectException toConnect(RuntimeException failure, ConsumerRecord<?, ?> record) {
    return ConnectErrors.map(failure, coordinates(record), ACTION);
  }

  /**
   * The source record unchanged, to the errors topic, with its coordinates and error class. A
   * record the source converters cannot read goes as its raw bytes (BYTES key and value).
   */
  private SourceRecord errorRecord(ConsumerRecord<byte[], byte[]> record, RuntimeException e) {
    SourceRecord unchanged;
    try {
      unchanged = reencryptor.convert(record, config.errorsTopic());
    } catch (DataException unreadable) {
      unchanged = reencryptor.rawBytes(record, config.errorsTopic());
    }
    SourceRecord routed =
        unchanged.newRecord(
            unchanged.topic(),
            null,
            unchanged.keySchema(),
            unchanged.key(),
            unchanged.valueSchema(),
            unchanged.value(),
            unchanged.timestamp(),
            unchanged.headers());
    routed
        .headers()
        .addBytes(HEADER_PREFIX + "source.topic", utf8(record.topic()))
        .addBytes(HEADER_PREFIX + "source.partition", utf8(Integer.toString(record.partition())))
        .addBytes(HEADER_PREFIX + "source.offset", utf8(Long.toString(record.offset())))
        .addBytes(
            HEADER_PREFIX + "error.class",
            utf8(FieldCryptoException.rootOf(e).getClass().getName()));
    return routed;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String coordinates(ConsumerRecord<?, ?> record) {
    return "record in topic '"
        + record.topic()
        + "', partition "
        + record.partition()
        + ", offset "
        + record.offset();
  }
}
