package io.csfle.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The committed configuration reference is what the code defines. */
class ConfigurationReferenceTest {

  @Test
  void committedReference_matchesTheCodesDefinitions() throws IOException {
    String rendered = ConfigurationReference.render();
    if (Boolean.getBoolean("config.reference.write")) {
      Files.writeString(ConfigurationReference.FILE, rendered);
    }
    String committed =
        Files.exists(ConfigurationReference.FILE)
            ? Files.readString(ConfigurationReference.FILE)
            : "";

    assertThat(committed)
        .as(
            ConfigurationReference.FILE
                + " differs from the code's ConfigDefs; run: "
                + ConfigurationReference.REGENERATE)
        .isEqualTo(rendered);
  }

  @Test
  void reference_listsEveryKeyOfEveryComponentWithItsDoc() {
    String rendered = ConfigurationReference.render();
    for (var def :
        java.util.List.of(
            io.csfle.connect.transforms.EncryptField.CONFIG_DEF,
            io.csfle.connect.transforms.DecryptField.CONFIG_DEF,
            io.csfle.connect.transforms.EncryptHeaders.CONFIG_DEF,
            io.csfle.connect.transforms.DecryptHeaders.CONFIG_DEF,
            io.csfle.connect.reencrypt.ReencryptSourceConfig.CONFIG_DEF,
            io.csfle.connect.config.DekStoreSettings.definition())) {
      for (var key : def.configKeys().values()) {
        if (!key.internalConfig) {
          assertThat(rendered).as(key.name).contains("| `" + key.name + "` |");
          assertThat(key.documentation).as(key.name).isNotBlank();
        }
      }
    }
  }
}
