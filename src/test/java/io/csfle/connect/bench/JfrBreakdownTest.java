package io.csfle.connect.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.csfle.connect.bench.JfrBreakdown.Work;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JfrBreakdownTest {
  private static final String APPLY = "io.csfle.connect.transforms.FieldCryptoTransform.apply";
  private static final String REWRITE = "io.csfle.connect.field.MapPlan.rewriteKeys";

  @Test
  void cipherUnderTheTransform_isCipher() {
    assertThat(
            JfrBreakdown.classify(
                List.of(
                    "java.util.Arrays.fill",
                    "com.sun.crypto.provider.GaloisCounterMode.engineDoFinal",
                    "io.csfle.connect.crypto.AesGcmFieldCipher.decrypt",
                    REWRITE,
                    APPLY)))
        .isEqualTo(Work.CIPHER);
  }

  @Test
  void stringMadeByTheBase64Writer_isBase64() {
    assertThat(
            JfrBreakdown.classify(
                List.of(
                    "java.lang.String.<init>",
                    "io.csfle.connect.fieldcrypto.CiphertextFormat.base64",
                    REWRITE,
                    APPLY)))
        .isEqualTo(Work.BASE64);
  }

  @Test
  void utf8OfThePlaintextInTheEncryptor_isStrings() {
    assertThat(
            JfrBreakdown.classify(
                List.of(
                    "java.lang.StringCoding.hasNegatives",
                    "java.lang.String.getBytes",
                    "io.csfle.connect.fieldcrypto.FieldEncryptor$SubjectEncryption.encryptString",
                    REWRITE,
                    APPLY)))
        .isEqualTo(Work.STRINGS);
  }

  @Test
  void hashingInAMapLookup_isMaps() {
    assertThat(
            JfrBreakdown.classify(
                List.of(
                    "java.lang.StringLatin1.hashCode",
                    "java.lang.String.hashCode",
                    "java.util.HashMap.getNode",
                    REWRITE,
                    APPLY)))
        .isEqualTo(Work.MAPS);
  }

  @Test
  void mapWorkOfTheConverter_isTheConverterNotTheTransform() {
    assertThat(
            JfrBreakdown.classify(
                List.of(
                    "java.util.HashMap.putVal",
                    "org.apache.kafka.connect.json.JsonConverter.convertToConnect",
                    "org.apache.kafka.connect.runtime.WorkerSinkTask.convertMessages")))
        .isEqualTo(Work.CONVERTER);
    assertThat(JfrBreakdown.classify(List.of("java.lang.Thread.run"))).isEqualTo(Work.OTHER);
  }

  @Test
  void rawTwinOutsideTheTransform_hasItsCipherAndStringsCounted() {
    assertThat(
            JfrBreakdown.classify(
                List.of(
                    "com.sun.crypto.provider.GHASH.update",
                    "com.google.crypto.tink.subtle.AesGcmJce.decrypt",
                    "io.csfle.connect.bench.FieldEncryptionBenchmark.rawDecrypt")))
        .isEqualTo(Work.CIPHER);
    assertThat(
            JfrBreakdown.classify(
                List.of(
                    "java.lang.String.<init>",
                    "io.csfle.connect.bench.FieldEncryptionBenchmark.rawDecrypt",
                    "io.csfle.connect.bench.jmh_generated.Stub.run")))
        .isEqualTo(Work.STRINGS);
  }

  @Test
  void table_printsSharesOfTheSamples() {
    String table = JfrBreakdown.table("task-thread", Map.of(Work.CIPHER, 3, Work.OTHER, 1));

    assertThat(table)
        .contains("threads named *task-thread*: 4 samples")
        .contains("75.0 %  cipher")
        .contains("25.0 %  other");
  }
}
