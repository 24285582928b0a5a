package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.HeaderFixtures.headers;
import static io.csfle.connect.transforms.HeaderFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Encrypted headers through Connect's common header converters, as a worker would write them to
 * Kafka and read them back: written with {@link SimpleHeaderConverter} or {@link StringConverter},
 * read with either or with {@link ByteArrayConverter}, every supported type must decrypt.
 */
class HeaderConvertersRoundTripTest {
  private static InMemoryDekRegistryServer registry;
  private static EncryptHeaders<SourceRecord> encrypt;
  private static DecryptHeaders<SinkRecord> decrypt;

  @BeforeAll
  static void start() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
    encrypt = HeaderFixtures.encrypt(HeaderFixtures.config(registry, "pii-*"));
    decrypt = HeaderFixtures.decrypt(HeaderFixtures.config(registry, "pii-*"));
  }

  @AfterAll
  static void stop() {
    encrypt.close();
    decrypt.close();
    registry.close();
  }

  private static <C extends HeaderConverter> C configured(C converter) {
    converter.configure(Map.of("converter.type", "header"));
    return converter;
  }

  @Test
  void everyWriterAndReaderConverter_roundTripsEverySupportedType() {
    List<HeaderConverter> writers =
        List.of(configured(new SimpleHeaderConverter()), configured(new StringConverter()));
    List<HeaderConverter> readers =
        List.of(
            configured(new SimpleHeaderConverter()),
            configured(new StringConverter()),
            configured(new ByteArrayConverter()));
    for (HeaderConverter writer : writers) {
      for (HeaderConverter reader : readers) {
        org.apache.kafka.connect.header.Headers original =
            headers()
                .addString("pii-email", "alice@example.com")
                .addBytes("pii-raw", new byte[] {1, 2, 3})
                .addLong("pii-id", 42L)
                .addBoolean("pii-flag", false);
        SourceRecord encrypted = encrypt.apply(source(original));
        ConnectHeaders afterKafka = new ConnectHeaders();
        for (Header header : encrypted.headers()) {
          byte[] wire =
              writer.fromConnectHeader("t", header.key(), header.schema(), header.value());
          assertThat(new String(wire, StandardCharsets.UTF_8)).doesNotContain("alice");
          SchemaAndValue read = reader.toConnectHeader("t", header.key(), wire);
          afterKafka.add(header.key(), read);
        }
        SinkRecord decrypted = decrypt.apply(HeaderFixtures.asSink(source(afterKafka)));

        String pair =
            writer.getClass().getSimpleName() + " -> " + reader.getClass().getSimpleName();
        assertThat(decrypted.headers().lastWithName("pii-email").value())
            .as(pair)
            .isEqualTo("alice@example.com");
        assertThat((byte[]) decrypted.headers().lastWithName("pii-raw").value())
            .as(pair)
            .containsExactly(1, 2, 3);
        assertThat(decrypted.headers().lastWithName("pii-id").value()).as(pair).isEqualTo(42L);
        assertThat(decrypted.headers().lastWithName("pii-id").schema())
            .isEqualTo(Schema.INT64_SCHEMA);
        assertThat(decrypted.headers().lastWithName("pii-flag").value()).as(pair).isEqualTo(false);
      }
    }
  }
}
