package io.csfle.connect.transforms;

import static io.csfle.connect.transforms.TransformFixtures.asSinkRecord;
import static io.csfle.connect.transforms.TransformFixtures.config;
import static io.csfle.connect.transforms.TransformFixtures.sourceRecord;
import static io.csfle.connect.transforms.TransformFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.crypto.KeyMaterial;
import io.csfle.connect.dek.DekStoreAnswerException;
import io.csfle.connect.kms.local.LocalKekProvider;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer;
import io.csfle.connect.store.rest.InMemoryDekRegistryServer.Mode;
import io.csfle.connect.testing.LeakWatch;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a user sees when the DEK registry answers with another DEK than the transform asked for: a
 * non-retriable {@link ConnectException} (not a retry, not a skippable {@link DataException})
 * naming the record and both sides of the contradiction, and no record written with that key.
 */
class DekStoreAnswerAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String PLAINTEXT = "alice@example.com";

  private InMemoryDekRegistryServer registry;
  private final List<Transformation<?>> opened = new ArrayList<>();

  @BeforeEach
  void start() {
    registry = InMemoryDekRegistryServer.start(Mode.CONFLUENT);
    leaks.plaintext(PLAINTEXT).secret(TransformFixtures.SECRET);
  }

  @AfterEach
  void stop() {
    opened.forEach(Transformation::close);
    registry.close();
  }

  private SourceRecord encrypt(Map<String, String> config) {
    EncryptField<SourceRecord> t = TransformFixtures.encryptValue(config);
    opened.add(t);
    return t.apply(sourceRecord(TransformFixtures.VALUE, value(1, PLAINTEXT, null)));
  }

  /** From now on the registry answers every DEK request with an AES256_SIV DEK it made up. */
  private void answerWithASivDek() {
    byte[] siv = KeyMaterial.generate(DekAlgorithm.AES256_SIV);
    leaks.keyBytes(siv);
    String wrapped =
        Base64.getEncoder()
            .encodeToString(
                new LocalKekProvider(n -> null)
                    .create("test-key", Map.of("secret", TransformFixtures.SECRET))
                    .wrap(siv));
    registry.rewriteAnswers(
        answer ->
            answer.has("subject")
                ? answer.put("algorithm", "AES256_SIV").put("encryptedKeyMaterial", wrapped)
                : answer);
  }

  private static ConnectException refusal(Throwable thrown) {
    assertThat(thrown)
        .isInstanceOf(ConnectException.class)
        .isNotInstanceOf(RetriableException.class)
        .isNotInstanceOf(DataException.class)
        .hasCauseInstanceOf(DekStoreAnswerException.class);
    return (ConnectException) thrown;
  }

  @Test
  void writerGivenASivDekForAGcmRequest_failsTheRecordWithANonRetriableRefusal() {
    Map<String, String> config = config(registry, "email");
    encrypt(config); // KEK and DEK v1 exist, honestly registered
    answerWithASivDek();

    ConnectException e = refusal(leaks.thrown(() -> encrypt(config)));

    assertThat(e)
        .hasMessageContaining("Cannot encrypt record in topic 'customers'")
        .hasMessageContaining("DEK 'customers-value' version 1 (AES256_GCM) of KEK 'test_kek'")
        .hasMessageContaining("algorithm AES256_SIV, asked AES256_GCM");
  }

  @Test
  void readerGivenASivDek_failsEvenWithPassThroughBecauseTheRecordIsNotAtFault() {
    Map<String, String> config = config(registry, "email");
    SinkRecord encrypted = asSinkRecord(encrypt(config));
    answerWithASivDek();
    config.put("decrypt.on.failure", "passthrough");
    DecryptField<SinkRecord> decrypt = TransformFixtures.decryptValue(config);
    opened.add(decrypt);

    ConnectException e = refusal(leaks.thrown(() -> decrypt.apply(encrypted)));

    assertThat(e)
        .hasMessageContaining("Cannot decrypt record in topic 'customers', partition 2, offset 42")
        .hasMessageContaining("algorithm AES256_SIV, asked AES256_GCM");
    assertThat(decrypt.metrics.passedThrough()).isZero();
  }

  @Test
  void rotatingWriterGivenALatestDekOfVersionZero_failsTheRecordInsteadOfWritingPrefixZero() {
    Map<String, String> config = config(registry, "email");
    config.put("encrypt.dek.expiry.days", "30");
    encrypt(config);
    registry.rewriteAnswers(answer -> answer.has("subject") ? answer.put("version", 0) : answer);

    ConnectException e = refusal(leaks.thrown(() -> encrypt(config)));

    assertThat(e)
        .hasMessageContaining("latest version")
        .hasMessageContaining("version 0, asked a version >= 1");
  }
}
