package io.csfle.connect.config;

import io.csfle.connect.store.rest.RegistryClientConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Checks each URL of the list (scheme, host, port range, no spaces, no query or fragment), without
 * contacting anything, so that a bad URL fails {@code config/validate} and {@code configure()}
 * rather than every record. Messages say which URL of the list is wrong and why, never the URL: it
 * may carry a password.
 */
final class RegistryUrlValidator implements ConfigDef.Validator {

  @Override
  public void ensureValid(String name, Object value) {
    if (value == null) {
      return; // only required with dek.store=registry, checked at configure()
    }
    String urls = value instanceof Password password ? password.value() : value.toString();
    if (urls == null || urls.isBlank()) {
      throw invalid(name, "at least one registry URL is required");
    }
    String[] parts = urls.split(",", -1);
    if (urls.replace(",", "").isBlank()) {
      // "," alone: the registry client skips empty entries and would find none at configure().
      throw invalid(name, "at least one registry URL is required");
    }
    for (int i = 0; i < parts.length; i++) {
      String url = parts[i].trim();
      // "a,,b" and a trailing comma: empty entries are skipped, as the registry client does.
      String problem = url.isEmpty() ? null : RegistryClientConfig.urlProblem(url);
      if (problem != null) {
        String which = parts.length == 1 ? "the URL" : "URL " + (i + 1) + " of " + parts.length;
        throw invalid(name, which + " " + problem);
      }
    }
  }

  private static ConfigException invalid(String name, String problem) {
    // ConfigException(name, value, message) would print the value; this form names only the key.
    return new ConfigException("Invalid value for configuration " + name + ": " + problem);
  }

  @Override
  public String toString() {
    return "comma-separated http(s) URLs";
  }
}
