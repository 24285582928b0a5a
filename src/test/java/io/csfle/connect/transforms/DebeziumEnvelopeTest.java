package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.decryptValue;
import static io.csfle.connect.transforms.TransformFixtures.encryptValue;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testkit.TestRecords;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Change events shaped like Debezium's: an envelope with optional before/after row structs, where
 * inserts have no before, deletes no after, and a tombstone follows each delete.
 */
class DebeziumEnvelopeTest {
  private static final String FIELDS = "before.email,after.email,before.balance,after.balance";
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("dbserver1.public.customers.Value")
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("email", Schema.STRING_SCHEMA)
          .field("balance", Decimal.builder(2).optional().build())
          .field("created", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build())
          .build();
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("db", Schema.STRING_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name("dbserver1.public.customers.Envelope")
          .version(2)
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private InMemoryDekRegistryServer registry;
  private EncryptField<SourceRecord> encrypt;
  private DecryptField<SinkRecord> decrypt;

  @BeforeEach
  void start() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
    Map<String, String> config = config(registry, FIELDS);
    encrypt = encryptValue(config);
    decrypt = decryptValue(config);
  }

  @AfterEach
  void stop() {
    encrypt.close();
    decrypt.close();
    registry.close();
  }

  private static Struct row(int id, String email, String balance) {
    return new Struct(ROW)
        .put("id", id)
        .put("email", email)
        .put("balance", balance == null ? null : new BigDecimal(balance))
        .put("created", 1_700_000_000_000_000L);
  }

  private static SourceRecord event(String op, Struct before, Struct after) {
    Struct envelope =
        new Struct(ENVELOPE)
            .put("before", before)
            .put("after", after)
            .put("source", new Struct(SOURCE).put("db", "shop").put("lsn", 42L))
            .put("op", op)
            .put("ts_ms", 1L);
    return TestRecords.source("dbserver1.public.customers", ENVELOPE, envelope);
  }

  private SinkRecord roundTrip(SourceRecord event) {
    return decrypt.apply(asSinkRecord(encrypt.apply(event)));
  }

  @Test
  void insertWithoutBefore_encryptsAfterAndRestoresTheEvent() {
    SourceRecord insert = event("c", null, row(1, "alice@example.com", "12.50"));
    Struct encrypted = (Struct) encrypt.apply(insert).value();

    assertThat(encrypted.getStruct("before")).isNull();
    assertThat(encrypted.getStruct("after").getString("email")).doesNotContain("alice");
    assertThat(encrypted.getStruct("after").schema().field("balance").schema().type())
        .isEqualTo(Schema.Type.STRING);
    assertThat(encrypted.getStruct("source").getString("db")).isEqualTo("shop");
    assertThat(encrypted.schema().name()).isEqualTo(ENVELOPE.name());

    SinkRecord restored = roundTrip(insert);
    assertThat(restored.valueSchema()).isEqualTo(ENVELOPE);
    assertThat(restored.value()).isEqualTo(insert.value());
  }

  @Test
  void update_encryptsBothImages() {
    SourceRecord update =
        event("u", row(1, "old@example.com", "1.00"), row(1, "new@example.com", null));
    Struct encrypted = (Struct) encrypt.apply(update).value();

    assertThat(encrypted.toString()).doesNotContain("old@").doesNotContain("new@");
    assertThat(encrypted.getStruct("after").get("balance")).isNull();
    assertThat(roundTrip(update).value()).isEqualTo(update.value());
  }

  @Test
  void deleteWithoutAfter_encryptsBeforeAndRestoresTheEvent() {
    SourceRecord delete = event("d", row(1, "gone@example.com", "0.00"), null);
    Struct encrypted = (Struct) encrypt.apply(delete).value();

    assertThat(encrypted.getStruct("after")).isNull();
    assertThat(encrypted.getStruct("before").getString("email")).doesNotContain("gone@");
    assertThat(roundTrip(delete).value()).isEqualTo(delete.value());
  }

  @Test
  void tombstoneAfterDelete_flowsThroughUntouched() {
    SourceRecord tombstone =
        new SourceRecord(null, null, "dbserver1.public.customers", 0, null, null);
    assertThat(encrypt.apply(tombstone)).isSameAs(tombstone);
    SinkRecord sinkTombstone = asSinkRecord(tombstone);
    assertThat(decrypt.apply(sinkTombstone)).isSameAs(sinkTombstone);
  }
}
