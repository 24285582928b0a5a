package io.csfle.connect.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.RegisteredDek;
import io.csfle.connect.store.RegisteredKek;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void awkwardStrings_roundTripThroughAJsonParser() throws Exception {
    String awkward = "quote \" backslash \\ tab \t newline \n bell \u0007 sep \u2028 é 🙂";
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("text", awkward);
    doc.put("none", null);
    doc.put("list", Arrays.asList(1, 2L, true, null, "x"));

    String written = AdminJson.write(doc);

    assertThat(written).doesNotContain("\n").doesNotContain("\u2028");
    assertThat(JSON.readTree(written).get("text").asText()).isEqualTo(awkward);
    assertThat(JSON.readTree(written).get("none").isNull()).isTrue();
    assertThat(JSON.readTree(written).get("list").toString()).isEqualTo("[1,2,true,null,\"x\"]");
  }

  @Test
  void kekWithACredentialInItsProps_isPrintedRedacted() {
    RegisteredKek kek =
        new RegisteredKek(
            "k",
            "hcvault",
            "https://vault/transit/keys/k",
            Map.of("token.id", "hvs.TOPSECRET", "namespace", "team"),
            null,
            false,
            5L,
            false);

    String written = AdminJson.write(AdminJson.kek(kek));

    assertThat(written)
        .doesNotContain("TOPSECRET")
        .contains("\"kmsProps\":{\"namespace\":\"team\",\"token.id\":\"[redacted]\"}")
        .contains("\"doc\":null");
  }

  @Test
  void dek_neverCarriesKeyMaterial() {
    RegisteredDek dek =
        new RegisteredDek(
            "k", "s", 3, DekAlgorithm.AES128_GCM, new byte[] {1, 2}, new byte[] {3}, 7L, true);

    assertThat(AdminJson.write(AdminJson.dek(dek)))
        .isEqualTo(
            "{\"kekName\":\"k\",\"subject\":\"s\",\"version\":3,\"algorithm\":\"AES128_GCM\","
                + "\"ts\":7,\"deleted\":true}");
    assertThat(List.copyOf(AdminJson.dek(dek).keySet())).doesNotContain("encryptedKeyMaterial");
  }
}
