package io.csfle.connect.store.rest;

import io.csfle.connect.remote.SecretScrubber;
import io.csfle.connect.store.rest.RegistryClientConfig.BasicAuthSource;
import io.csfle.connect.store.rest.RegistryClientConfig.BearerAuthSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Turns the configured registry credentials into {@code Authorization} header values, and into the
 * scrubber that keeps every one of them out of server text. Messages name the Confluent key at
 * fault, never the secret.
 */
final class RegistryCredentials {
  private RegistryCredentials() {}

  /** The header every URL shares (basic from user info, or bearer), or null for none or per-URL. */
  static String sharedAuthorizationHeader(
      BasicAuthSource basicAuthSource,
      String basicUserInfo,
      BearerAuthSource bearerAuthSource,
      String bearerToken) {
    if (basicAuthSource == BasicAuthSource.USER_INFO) {
      if (basicUserInfo == null || basicUserInfo.indexOf(':') < 0) {
        throw new IllegalArgumentException(
            "basic.auth.credentials.source=USER_INFO needs basic.auth.user.info=user:password");
      }
      return basicHeader(basicUserInfo);
    }
    if (bearerAuthSource == BearerAuthSource.STATIC_TOKEN) {
      if (bearerToken == null || bearerToken.isBlank()) {
        throw new IllegalArgumentException(
            "bearer.auth.credentials.source=STATIC_TOKEN needs bearer.auth.token");
      }
      String token = bearerToken.trim();
      if (token.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        // The JDK refuses such a header value with a message that quotes it: refuse it first.
        throw new IllegalArgumentException(
            "bearer.auth.token holds a control character (a line break, say), which an HTTP"
                + " header cannot carry");
      }
      return "Bearer " + token;
    }
    return null;
  }

  /** The basic header from the user info embedded in {@code uri}, or null when it has none. */
  static String urlBasicHeader(URI uri) {
    // getUserInfo() percent-decodes, so "p%40ss" becomes "p@ss" as the user intended.
    String userInfo = uri.getUserInfo();
    return userInfo == null || userInfo.isEmpty() ? null : basicHeader(userInfo);
  }

  private static String basicHeader(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  static SecretScrubber scrubber(String basicUserInfo, String bearerToken, List<URI> uris) {
    // Every configured credential, used or not: a secret is a secret whatever the source setting.
    List<String> secrets = new ArrayList<>();
    addUserInfo(basicUserInfo, secrets);
    if (bearerToken != null) {
      secrets.add(bearerToken);
      secrets.add(bearerToken.trim());
    }
    for (URI uri : uris) {
      addUserInfo(uri.getRawUserInfo(), secrets);
      addUserInfo(uri.getUserInfo(), secrets);
    }
    return SecretScrubber.of(secrets);
  }

  private static void addUserInfo(String userInfo, List<String> secrets) {
    if (userInfo == null || userInfo.isEmpty()) {
      return;
    }
    secrets.add(userInfo);
    int colon = userInfo.indexOf(':');
    if (colon >= 0) {
      secrets.add(userInfo.substring(colon + 1));
    }
  }
}
