package io.csfle.connect.reencrypt;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

/** The records a task writes to the report topic: a partition's end marker and its summary. */
final class ReportRecords {
  private ReportRecords() {}

  /**
   * A small record whose source offset is {@code tp}'s last offset before its end, so the stored
   * offset shows the partition finished even when its last records were not returned.
   */
  static SourceRecord partitionEnd(
      String reportTopic, int taskIndex, TopicPartition tp, long lastOffset) {
    String json =
        "{\"event\":\"partition-end\",\"task\":\"task "
            + taskIndex
            + "\",\"topic\":\""
            + tp.topic()
            + "\",\"partition\":"
            + tp.partition()
            + ",\"endOffset\":"
            + (lastOffset + 1)
            + "}";
    return new SourceRecord(
        RecordReencryptor.sourcePartition(tp.topic(), tp.partition()),
        Map.of(RecordReencryptor.OFFSET_KEY, lastOffset),
        reportTopic,
        null,
        null,
        null,
        Schema.STRING_SCHEMA,
        json);
  }

  /** The task's summary, with no source offset: it marks no position in the source. */
  static SourceRecord summary(String reportTopic, String summaryJson) {
    return new SourceRecord(
        null, null, reportTopic, null, null, null, Schema.STRING_SCHEMA, summaryJson);
  }
}
