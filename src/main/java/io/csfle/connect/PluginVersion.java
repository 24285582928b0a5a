package io.csfle.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This plugin's own version, as Maven wrote it at build time (not Kafka's version). */
public final class PluginVersion {
  private static final String VERSION = load();

  private PluginVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    Properties properties = new Properties();
    try (InputStream in = PluginVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return properties.getProperty("version", "unknown");
  }
}
