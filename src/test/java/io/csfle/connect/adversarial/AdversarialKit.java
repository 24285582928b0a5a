package io.csfle.connect.adversarial;

import static io.csfle.connect.adversarial.KnownDeks.OFFSET;
import static io.csfle.connect.adversarial.KnownDeks.PARTITION;
import static io.csfle.connect.adversarial.KnownDeks.TOPIC;

import io.csfle.connect.adversarial.KnownDeks.CryptoMode;
import io.csfle.connect.testing.LeakWatch;
import io.csfle.connect.testkit.TestRecords;
import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every adversarial data test sets up the same way: a {@link KnownDeks} registry for the
 * class, EncryptField and DecryptField configured against it (closed after each test), and records
 * on the suite's topic, partition and offset. Register it after the class's {@link LeakWatch},
 * which learns the KMS secret and every DEK from it:
 *
 * <pre>{@code
 * @RegisterExtension static final LeakWatch leaks = new LeakWatch();
 * @RegisterExtension static final AdversarialKit kit = new AdversarialKit(leaks, CryptoMode.all());
 * }</pre>
 */
final class AdversarialKit implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private final LeakWatch leaks;
  private final CryptoMode[] modes;
  private final List<Transformation<?>> opened = new ArrayList<>();
  private KnownDeks deks;

  /** A kit whose registry holds DEKs for {@code modes}. */
  AdversarialKit(LeakWatch leaks, CryptoMode... modes) {
    this.leaks = leaks;
    this.modes = modes.clone();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    deks = KnownDeks.start(leaks, modes);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      opened.forEach(Transformation::close);
    } finally {
      opened.clear();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (deks != null) {
      deks.close();
    }
  }

  /** The transform settings for {@code mode} on the comma-separated field paths. */
  Map<String, String> config(CryptoMode mode, String fields) {
    return deks.config(mode, fields);
  }

  /** {@code plaintext} encrypted as the transform would on {@code topic}: see KnownDeks. */
  byte[] ciphertext(CryptoMode mode, String topic, byte[] plaintext) {
    return deks.encrypt(mode, topic, plaintext);
  }

  /** An EncryptField$Value with {@code config}, closed after the test. */
  EncryptField<SourceRecord> encryptor(Map<String, String> config) {
    EncryptField<SourceRecord> encrypt = new EncryptField.Value<>();
    opened.add(encrypt);
    encrypt.configure(config);
    return encrypt;
  }

  /** A DecryptField$Value with {@code config} as it is, closed after the test. */
  DecryptField<SinkRecord> decryptor(Map<String, String> config) {
    DecryptField<SinkRecord> decrypt = new DecryptField.Value<>();
    opened.add(decrypt);
    decrypt.configure(config);
    return decrypt;
  }

  /** A DecryptField$Value with {@code config} and {@code decrypt.on.failure=onFailure}. */
  DecryptField<SinkRecord> decryptor(Map<String, String> config, String onFailure) {
    Map<String, String> settings = new LinkedHashMap<>(config);
    settings.put("decrypt.on.failure", onFailure);
    return decryptor(settings);
  }

  /** A failing and a pass-through decryptor of {@code mode} on {@code fields}. */
  Decryptors decryptors(CryptoMode mode, String fields) {
    Map<String, String> config = config(mode, fields);
    return new Decryptors(decryptor(config, "fail"), decryptor(config, "passthrough"));
  }

  /**
   * The two decryptors every broken value goes through: in fail mode it must be refused, with
   * pass-through it must come out as it went in (see {@link Verdicts}).
   */
  final class Decryptors {
    final DecryptField<SinkRecord> failing;
    final DecryptField<SinkRecord> passing;

    private Decryptors(DecryptField<SinkRecord> failing, DecryptField<SinkRecord> passing) {
      this.failing = failing;
      this.passing = passing;
    }

    DataException assertRefused(SinkRecord record, String field, String scenario) {
      return Verdicts.assertRefused(leaks, failing, record, field, scenario);
    }

    void assertPassedThrough(SinkRecord record, String field, String scenario) {
      Verdicts.assertPassedThrough(passing, record, field, scenario);
    }

    /** Refused by the failing decryptor, and unchanged by the pass-through one. */
    void assertRefusedOrPassedThrough(SinkRecord record, String field, String scenario) {
      assertRefused(record, field, scenario);
      assertPassedThrough(record, field, scenario);
    }
  }

  /** A record as a sink task gets it: on the suite's topic, partition and offset. */
  static SinkRecord sink(Schema schema, Object value) {
    return TestRecords.sink(TOPIC, PARTITION, schema, value, OFFSET);
  }

  /** A record as a source task makes it, on {@code topic}. */
  static SourceRecord source(String topic, Schema schema, Object value) {
    return TestRecords.source(topic, schema, value);
  }

  static SourceRecord source(Schema schema, Object value) {
    return source(TOPIC, schema, value);
  }

  /**
   * A copy of {@code encrypted} with {@code field} set to {@code replacement}, as a sink record.
   */
  static SinkRecord withField(Struct encrypted, String field, Object replacement) {
    return sink(encrypted.schema(), TestRecords.withField(encrypted, field, replacement));
  }

  /**
   * A copy of {@code encrypted} with {@code key} mapped to {@code replacement}, as a sink record.
   */
  static SinkRecord withEntry(Map<?, ?> encrypted, String key, Object replacement) {
    return sink(null, TestRecords.withEntry(encrypted, key, replacement));
  }

  /** A schemaless value of the given keys and values, in that order. */
  static Map<String, Object> schemalessValue(Object... keysAndValues) {
    Map<String, Object> value = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      value.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return value;
  }
}
