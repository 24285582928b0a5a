package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.sourceRecord;
import static io.csfle.connect.transforms.TransformFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransformMetricsTest {
  private final InMemoryDekRegistryServer registry =
      InMemoryDekRegistryServer.start(Mode.CONFLUENT);

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void recordsFailuresAndPassThroughs_areCountedAndPublished() {
    Map<String, String> config = config(registry, "email");
    EncryptField<SourceRecord> encrypt = TransformFixtures.encryptValue(config);
    config.put("decrypt.on.failure", "passthrough");
    DecryptField<SinkRecord> decrypt = TransformFixtures.decryptValue(config);
    CollectingPluginMetrics encryptMetrics = new CollectingPluginMetrics();
    CollectingPluginMetrics decryptMetrics = new CollectingPluginMetrics();
    encrypt.withPluginMetrics(encryptMetrics);
    decrypt.withPluginMetrics(decryptMetrics);
    try {
      SourceRecord encrypted =
          encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(1, "a@b.c", null)));
      encrypt.apply(sourceRecord(TransformFixtures.VALUE, value(2, "d@e.f", null)));
      decrypt.apply(asSinkRecord(encrypted));
      Struct notCiphertext = ((Struct) encrypted.value());
      decrypt.apply(
          asSinkRecord(
              new SourceRecord(
                  null,
                  null,
                  "customers",
                  0,
                  notCiphertext.schema(),
                  copyWithEmail(notCiphertext, "plain"))));
      EncryptField<SourceRecord> bad = TransformFixtures.encryptValue(config(registry, "emial"));
      CollectingPluginMetrics badMetrics = new CollectingPluginMetrics();
      bad.withPluginMetrics(badMetrics);
      assertThatThrownBy(
              () -> bad.apply(sourceRecord(TransformFixtures.VALUE, value(3, "x@y.z", null))))
          .isInstanceOf(DataException.class);
      bad.close();

      assertThat(encryptMetrics.value("records-total")).isEqualTo(2L);
      assertThat(encryptMetrics.value("failures-total")).isEqualTo(0L);
      assertThat(decryptMetrics.value("records-total")).isEqualTo(2L);
      assertThat(decryptMetrics.value("passthrough-fields-total")).isEqualTo(1L);
      assertThat(badMetrics.value("failures-total")).isEqualTo(1L);
      // One wrap when the writer created the DEK, one unwrap for the reader: none per record.
      assertThat(encryptMetrics.value("kms-calls-total")).isEqualTo(1L);
      assertThat(decryptMetrics.value("kms-calls-total")).isEqualTo(1L);
      assertThat(decryptMetrics.value("kms-failures-total")).isEqualTo(0L);
    } finally {
      encrypt.close();
      decrypt.close();
    }
  }

  private static Struct copyWithEmail(Struct value, String email) {
    Struct copy = new Struct(value.schema());
    value.schema().fields().forEach(f -> copy.put(f, value.get(f)));
    return copy.put("email", email);
  }
}
