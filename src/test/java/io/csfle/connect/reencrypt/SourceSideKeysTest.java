package io.csfle.connect.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.config.FieldCryptoSettings;
import io.csfle.connect.crypto.DekAlgorithm;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code source.} overrides of the shared keys make the source side's settings. */
class SourceSideKeysTest {

  private static Map<String, String> target() {
    Map<String, String> props = new HashMap<>();
    props.put("source.bootstrap.servers", "localhost:9092");
    props.put("topics", "orders");
    props.put("fields", "email");
    props.put("schema.registry.url", "http://localhost:8081");
    props.put("encrypt.kek.name", "new-kek");
    props.put("encrypt.kms.type", "local-kms");
    props.put("encrypt.kms.key.id", "new-key");
    props.put("kms.secret", "target-secret");
    props.put("kms.endpoint", "http://kms");
    return props;
  }

  @Test
  void noOverrides_sourceIsTheTargetsKeyUsedAsRegistered() {
    ReencryptSourceConfig config = new ReencryptSourceConfig(target());

    FieldCryptoSettings source = config.source();

    assertThat(source.kek().name()).isEqualTo("new-kek");
    assertThat(source.kek().kmsType()).isNull();
    assertThat(source.kek().kmsKeyId()).isNull();
    assertThat(source.kek().kmsCredentials()).containsEntry("secret", "target-secret");
    assertThat(source.algorithm()).isEqualTo(config.target().algorithm());
    assertThat(source.subjectFor("orders")).isEqualTo("orders-value");
    assertThat(config.target().kek().kmsType()).isEqualTo("local-kms");
  }

  @Test
  void sourceKeys_overrideTheirTargetKeys() {
    Map<String, String> props = target();
    props.put("source.encrypt.kek.name", "old-kek");
    props.put("source.encrypt.dek.algorithm", "AES256_SIV");
    props.put("source.encrypt.dek.expiry.days", "7");
    props.put("source.dek.subject", "${topic}-old");

    FieldCryptoSettings source = new ReencryptSourceConfig(props).source();

    assertThat(source.kek().name()).isEqualTo("old-kek");
    assertThat(source.algorithm()).isEqualTo(DekAlgorithm.AES256_SIV);
    assertThat(source.rotating()).isTrue();
    assertThat(source.subjectFor("orders")).isEqualTo("orders-old");
  }

  @Test
  void anySourceKmsKey_replacesEveryTargetKmsKey() {
    Map<String, String> props = target();
    props.put("source.kms.secret", "source-secret");

    FieldCryptoSettings source = new ReencryptSourceConfig(props).source();

    assertThat(source.kek().kmsCredentials()).containsOnly(Map.entry("secret", "source-secret"));
  }

  @Test
  void blankOverrides_areIgnored() {
    Map<String, String> props = target();
    props.put("source.encrypt.kek.name", " ");
    props.put("source.dek.subject", "");

    FieldCryptoSettings source = new ReencryptSourceConfig(props).source();

    assertThat(source.kek().name()).isEqualTo("new-kek");
    assertThat(source.subjectFor("orders")).isEqualTo("orders-value");
  }
}
