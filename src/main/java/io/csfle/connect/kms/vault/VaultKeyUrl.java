package io.csfle.connect.kms.vault;

import io.csfle.connect.kms.KmsException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed {@code hcvault} key id: {@code http[s]://HOST[:PORT]/MOUNT/keys/NAME}, where MOUNT is
 * the transit mount path (one or more segments, e.g. {@code transit} or {@code team-a/transit}).
 *
 * <p>The path is Vault's logical path, as in {@code vault write transit/encrypt/NAME}: the {@code
 * /v1} API prefix is added here, so a key id that starts with {@code /v1/...} is refused rather
 * than guessed at (Confluent's clients would send it to {@code /v1/v1/...}). Nested mounts work
 * here as in Tink; note that Confluent's Java client only rewrites the second path segment, so a
 * KEK shared with Confluent clients should use a single-segment mount.
 *
 * @param address scheme, host and port, without a trailing slash
 * @param mount the transit mount path, without leading or trailing slashes
 * @param keyName the transit key name
 */
record VaultKeyUrl(String keyUrl, String address, String mount, String keyName) {

  static VaultKeyUrl parse(String keyUrl) {
    if (keyUrl == null || keyUrl.isBlank()) {
      throw bad(keyUrl, "it is empty");
    }
    URI uri;
    try {
      uri = new URI(keyUrl);
    } catch (URISyntaxException e) {
      throw bad(keyUrl, "it is not a URL");
    }
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw bad(keyUrl, "the scheme must be http or https");
    }
    if (uri.getRawUserInfo() != null) {
      // Not echoed: user info may hold a password.
      throw bad("(not shown)", "it must not contain user info");
    }
    if (uri.getHost() == null) {
      throw bad(keyUrl, "it needs a host");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw bad(keyUrl, "it must not have a query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    List<String> segments = Arrays.asList(path.replaceFirst("^/", "").split("/", -1));
    int n = segments.size();
    if (n < 3 || !"keys".equals(segments.get(n - 2)) || segments.contains("")) {
      throw bad(keyUrl, "the path must be /MOUNT/keys/NAME");
    }
    if ("v1".equals(segments.get(0)) && n > 3) {
      throw bad(keyUrl, "leave out the /v1 API prefix (write /transit/keys/NAME)");
    }
    String address = scheme + "://" + uri.getRawAuthority();
    String mount = String.join("/", segments.subList(0, n - 2));
    return new VaultKeyUrl(keyUrl, address, mount, segments.get(n - 1));
  }

  /** The URI of a transit operation ({@code encrypt} or {@code decrypt}) on this key. */
  URI operation(String op) {
    return URI.create(address + "/v1/" + mount + "/" + op + "/" + keyName);
  }

  /** The URI of an API path below {@code /v1/}, e.g. {@code auth/approle/login}. */
  URI api(String path) {
    return URI.create(address + "/v1/" + path);
  }

  private static KmsException bad(String keyUrl, String why) {
    return new KmsException(
        KmsException.Reason.MISCONFIGURED,
        "Invalid hcvault key id '"
            + keyUrl
            + "': "
            + why
            + "; expected e.g. https://vault:8200/transit/keys/NAME");
  }
}
