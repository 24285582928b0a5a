package io.csfle.connect.transforms;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;

/** Which part of a record a transform works on: the key or the value. */
enum RecordSide {
  KEY {
    @Override
    Schema schema(ConnectRecord<?> record) {
      return record.keySchema();
    }

    @Override
    Object value(ConnectRecord<?> record) {
      return record.key();
    }

    @Override
    <R extends ConnectRecord<R>> R newRecord(R record, Schema schema, Object value) {
      return record.newRecord(
          record.topic(),
          record.kafkaPartition(),
          schema,
          value,
          record.valueSchema(),
          record.value(),
          record.timestamp(),
          record.headers());
    }
  },
  VALUE {
    @Override
    Schema schema(ConnectRecord<?> record) {
      return record.valueSchema();
    }

    @Override
    Object value(ConnectRecord<?> record) {
      return record.value();
    }

    @Override
    <R extends ConnectRecord<R>> R newRecord(R record, Schema schema, Object value) {
      return record.newRecord(
          record.topic(),
          record.kafkaPartition(),
          record.keySchema(),
          record.key(),
          schema,
          value,
          record.timestamp(),
          record.headers());
    }
  };

  abstract Schema schema(ConnectRecord<?> record);

  abstract Object value(ConnectRecord<?> record);

  abstract <R extends ConnectRecord<R>> R newRecord(R record, Schema schema, Object value);

  boolean isKey() {
    return this == KEY;
  }
}
