package io.csfle.connect.store.rest;

import io.csfle.connect.store.DekSubject;

/** The paths and query parameters of Confluent's DEK Registry API, names encoded. */
final class RegistryPaths {
  static final String KEKS = "/dek-registry/v1/keks";

  private RegistryPaths() {}

  static String kekPath(String kekName) {
    return KEKS + "/" + UrlPathSegment.encode(kekName);
  }

  static String dekPath(DekSubject dek) {
    return kekPath(dek.kekName()) + "/deks/" + UrlPathSegment.encode(dek.subject());
  }

  static String versionPath(DekSubject dek, String version) {
    return dekPath(dek) + "/versions/" + version;
  }

  static String algorithm(DekSubject dek) {
    return "algorithm=" + dek.algorithm().name();
  }

  static String deleted(boolean includeDeleted) {
    return includeDeleted ? "deleted=true" : null;
  }

  static String permanent(boolean permanent) {
    return permanent ? "permanent=true" : null;
  }

  static String query(String... params) {
    StringBuilder q = new StringBuilder();
    for (String param : params) {
      if (param != null) {
        q.append(q.length() == 0 ? '?' : '&').append(param);
      }
    }
    return q.toString();
  }
}
