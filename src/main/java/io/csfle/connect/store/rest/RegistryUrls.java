package io.csfle.connect.store.rest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses and checks the configured registry base URLs. Its messages never quote a URL: a URL may
 * carry a password in its user info.
 */
final class RegistryUrls {
  private RegistryUrls() {}

  /** Every non-blank entry of a comma-separated list, checked; at least one. */
  static List<URI> parse(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      throw new IllegalArgumentException("No DEK registry URL configured");
    }
    List<URI> uris = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      String trimmed = part.trim();
      if (!trimmed.isEmpty()) {
        uris.add(parseOne(trimmed));
      }
    }
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("No DEK registry URL configured");
    }
    return uris;
  }

  private static URI parseOne(String url) {
    String problem = problem(url);
    if (problem != null) {
      throw new IllegalArgumentException(
          "DEK registry URL "
              + problem
              + " (expected http(s)://[user:password@]host[:port][/path])");
    }
    return URI.create(url);
  }

  /** See {@link RegistryClientConfig#urlProblem(String)}. */
  static String problem(String url) {
    for (int i = 0; i < url.length(); i++) {
      if (Character.isWhitespace(url.charAt(i)) || Character.isISOControl(url.charAt(i))) {
        return "contains a space or control character";
      }
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "does not parse: " + e.getReason().toLowerCase(Locale.ROOT);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "must start with http:// or https://";
    }
    if (uri.getHost() == null) {
      return "has no valid host";
    }
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      return "has port " + uri.getPort() + ", outside 1-65535";
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must not have a query or fragment";
    }
    return null;
  }

  /** The base URL to send requests to: no user info, no trailing slashes. */
  static String withoutUserInfo(URI uri) {
    StringBuilder s = new StringBuilder();
    if (uri.getScheme() != null) {
      s.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      s.append(uri.getHost());
    }
    if (uri.getPort() >= 0) {
      s.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return s.append(path).toString();
  }
}
