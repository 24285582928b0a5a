package io.csfle.connect.store.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.NewDek;
import io.csfle.connect.store.NewKek;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryJsonTest {
  private static final DekAlgorithm GCM = DekAlgorithm.AES256_GCM;

  @Test
  void readKek_toleratesMissingPropsAndDeletedAndUnknownFields() {
    RegisteredKek kek =
        RegistryJson.readKek(
            json(
                "{'name':'k','kmsType':'aws-kms','kmsKeyId':'arn','shared':true,'ts':5,"
                    + "'future':{'x':[1]},'kmsProps':null}"));

    assertThat(kek.kmsProps()).isEmpty();
    assertThat(kek.deleted()).isFalse();
    assertThat(kek.shared()).isTrue();
    assertThat(kek.doc()).isNull();
    assertThat(kek.ts()).isEqualTo(5);
  }

  @Test
  void readDek_decodesBase64AndParsesAlgorithm() {
    byte[] wrapped = {1, 2, 3, (byte) 0xFF};
    RegisteredDek dek =
        RegistryJson.readDek(
            json(
                "{'kekName':'k','subject':'s','version':3,'algorithm':'aes256_siv',"
                    + "'encryptedKeyMaterial':'"
                    + Base64.getEncoder().encodeToString(wrapped)
                    + "','ts':7,'deleted':true}"),
            "other",
            "other",
            1,
            GCM);

    assertThat(dek.kekName()).isEqualTo("k");
    assertThat(dek.version()).isEqualTo(3);
    assertThat(dek.algorithm()).isEqualTo(DekAlgorithm.AES256_SIV);
    assertThat(dek.encryptedKeyMaterial()).isEqualTo(wrapped);
    assertThat(dek.keyMaterial()).isNull();
    assertThat(dek.deleted()).isTrue();
  }

  @Test
  void readDek_missingIdentityFieldsTakenFromRequest() {
    RegisteredDek dek =
        RegistryJson.readDek(json("{'encryptedKeyMaterial':'AQ=='}"), "k", "s", 2, GCM);

    assertThat(dek.kekName()).isEqualTo("k");
    assertThat(dek.subject()).isEqualTo("s");
    assertThat(dek.version()).isEqualTo(2);
    assertThat(dek.algorithm()).isEqualTo(GCM);
  }

  @Test
  void readDek_malformedInputRejectedWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                RegistryJson.readDek(
                    json("{'encryptedKeyMaterial':'c2VjcmV0-_'}"), "k", "s", 1, GCM))
        .isInstanceOf(RegistryJson.MalformedException.class)
        .hasMessageContaining("encryptedKeyMaterial")
        .hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(
            () -> RegistryJson.readDek(bytes("{\"keyMaterial\":\"c2VjcmV0"), "k", "s", 1, GCM))
        .isInstanceOf(RegistryJson.MalformedException.class)
        .hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(() -> RegistryJson.readDek(json("{'algorithm':'ROT13'}"), "k", "s", 1, GCM))
        .isInstanceOf(RegistryJson.MalformedException.class);
    assertThatThrownBy(() -> RegistryJson.readDek(json("[]"), "k", "s", 1, GCM))
        .isInstanceOf(RegistryJson.MalformedException.class);
  }

  @Test
  void readDek_keepsWhatTheServerSentSoTheDekLayerCanRefuseAContradiction() {
    RegisteredDek dek =
        RegistryJson.readDek(
            json(
                "{'subject':'s','version':1,'algorithm':'AES256_SIV','encryptedKeyMaterial':'AQ=='}"),
            "k",
            "s",
            1,
            GCM);

    assertThat(dek.algorithm()).isEqualTo(DekAlgorithm.AES256_SIV);
  }

  @Test
  void readLatestDek_withoutAVersion_isMalformedRatherThanVersionZero() {
    assertThatThrownBy(
            () -> RegistryJson.readDek(json("{'encryptedKeyMaterial':'AQ=='}"), "k", "s", 0, GCM))
        .isInstanceOf(RegistryJson.MalformedException.class)
        .hasMessageContaining("missing 'version'");
    assertThatThrownBy(
            () ->
                RegistryJson.readDek(
                    json("{'version':2.5,'encryptedKeyMaterial':'AQ=='}"), "k", "s", 2, GCM))
        .isInstanceOf(RegistryJson.MalformedException.class)
        .hasMessageContaining("'version' is not an int");
  }

  @Test
  void readVersions_belowOneOrListedTwice_isMalformed() {
    for (String list : new String[] {"[1,0,2]", "[-3]", "[1,2,2]"}) {
      assertThatThrownBy(() -> RegistryJson.readVersions(json(list)))
          .as(list)
          .isInstanceOf(RegistryJson.MalformedException.class)
          .hasMessageContaining("Malformed DEK versions");
    }
  }

  @Test
  void readVersions_sortsAndRejectsNonIntegers() {
    assertThat(RegistryJson.readVersions(json("[3,1,2]"))).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> RegistryJson.readVersions(json("['1']")))
        .isInstanceOf(RegistryJson.MalformedException.class);
  }

  @Test
  void createDekBody_alwaysHasVersionAndOmitsNullMaterial() {
    String withMaterial =
        text(
            RegistryJson.createDekBody(
                new NewDek(new DekSubject("k", "s", GCM), 1, new byte[] {1})));
    String shared =
        text(RegistryJson.createDekBody(new NewDek(new DekSubject("k", "s", GCM), 4, null)));

    assertThat(withMaterial)
        .isEqualTo(
            "{\"subject\":\"s\",\"version\":1,\"algorithm\":\"AES256_GCM\","
                + "\"encryptedKeyMaterial\":\"AQ==\",\"deleted\":false}");
    assertThat(shared).contains("\"version\":4").doesNotContain("encryptedKeyMaterial");
  }

  @Test
  void createKekBody_omitsNullDocAndAlwaysSendsProps() {
    String body =
        text(RegistryJson.createKekBody(new NewKek("k", "local-kms", "id", null, null, false)));

    assertThat(body)
        .isEqualTo(
            "{\"name\":\"k\",\"kmsType\":\"local-kms\",\"kmsKeyId\":\"id\",\"kmsProps\":{},"
                + "\"shared\":false,\"deleted\":false}");
  }

  @Test
  void updateKekBody_leavesOutUnchangedFields() {
    assertThat(text(RegistryJson.updateKekBody(null, null, true))).isEqualTo("{\"shared\":true}");
    assertThat(text(RegistryJson.updateKekBody(Map.of("a", "b"), "d", false)))
        .isEqualTo("{\"kmsProps\":{\"a\":\"b\"},\"doc\":\"d\",\"shared\":false}");
  }

  @Test
  void errorMessage_onlyFromTheUsualShape() {
    assertThat(RegistryJson.errorMessage(json("{'error_code':40470,'message':'Key not found'}")))
        .isEqualTo("Key not found");
    assertThat(RegistryJson.errorMessage(bytes("<html>502 Bad Gateway</html>"))).isNull();
    assertThat(RegistryJson.errorMessage(new byte[0])).isNull();
  }

  @Test
  void pathSegment_percentEncodesEverythingButUnreserved() {
    assertThat(UrlPathSegment.encode("orders/eu value+ü"))
        .isEqualTo("orders%2Feu%20value%2B%C3%BC");
    assertThat(UrlPathSegment.encode("a-b.c_d~e9")).isEqualTo("a-b.c_d~e9");
    assertThatThrownBy(() -> UrlPathSegment.encode(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] json(String singleQuoted) {
    return bytes(singleQuoted.replace('\'', '"'));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
