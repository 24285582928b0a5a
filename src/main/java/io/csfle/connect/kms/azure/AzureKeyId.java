package io.csfle.connect.kms.azure;

import io.csfle.connect.kms.KmsException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Key Vault key identifier, {@code https://VAULT.vault.azure.net/keys/NAME[/VERSION]}. The vault
 * URL is whatever scheme, host and port precede {@code /keys/}, so sovereign clouds, managed HSMs
 * and test fakes work too; only HTTPS is accepted.
 */
record AzureKeyId(String vaultUrl, String name, String version) {
  static final String EXPECTED_FORM = "https://VAULT.vault.azure.net/keys/NAME[/VERSION]";

  private static final Pattern PATH =
      Pattern.compile("/keys/([A-Za-z0-9-]{1,127})(?:/([A-Za-z0-9]+))?/?");
  private static final Pattern VERSION = Pattern.compile("[0-9a-fA-F]{32}");

  static AzureKeyId parse(String kmsKeyId) {
    if (kmsKeyId != null) {
      try {
        URI uri = URI.create(kmsKeyId.trim());
        Matcher path = uri.getRawPath() == null ? null : PATH.matcher(uri.getRawPath());
        if ("https".equalsIgnoreCase(uri.getScheme())
            && uri.getHost() != null
            && uri.getRawQuery() == null
            && uri.getRawFragment() == null
            && uri.getRawUserInfo() == null
            && path != null
            && path.matches()) {
          String vault =
              "https://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
          return new AzureKeyId(vault, path.group(1), path.group(2));
        }
      } catch (IllegalArgumentException e) {
        // Reported below.
      }
    }
    throw new KmsException(
        KmsException.Reason.MISCONFIGURED,
        "azure-kms key id '"
            + kmsKeyId
            + "' is not a Key Vault key identifier; expected "
            + EXPECTED_FORM);
  }

  /** True when {@code text} is a Key Vault key version (32 hex digits). */
  static boolean isVersion(String text) {
    return text != null && VERSION.matcher(text).matches();
  }

  /** This key at another version. */
  AzureKeyId withVersion(String otherVersion) {
    return new AzureKeyId(vaultUrl, name, otherVersion);
  }

  /** The identifier as the SDK takes it. */
  String id() {
    return vaultUrl + "/keys/" + name + (version == null ? "" : "/" + version);
  }

  /** The version of a key identifier returned by Key Vault ({@code .../keys/NAME/VERSION}). */
  static String versionOf(String kid) {
    if (kid == null) {
      return null;
    }
    int slash = kid.lastIndexOf('/');
    String last = kid.substring(slash + 1);
    return isVersion(last) ? last : null;
  }
}
