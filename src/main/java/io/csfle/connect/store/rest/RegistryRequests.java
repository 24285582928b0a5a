package io.csfle.connect.store.rest;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Builds one HTTP request to one configured base URL: the media types of the registry API, that
 * URL's {@code Authorization} header and the per-request timeout. The body holds key material; it
 * goes only to the wire.
 */
final class RegistryRequests {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, "
          + "application/json; q=0.5";

  private final RegistryClientConfig config;

  RegistryRequests(RegistryClientConfig config) {
    this.config = config;
  }

  /** {@code method pathAndQuery} (already URL-encoded) at base URL {@code index}. */
  HttpRequest build(int index, String method, String pathAndQuery, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(config.baseUrls().get(index) + pathAndQuery))
            .timeout(config.requestTimeout())
            .header("Accept", ACCEPT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null || method.equals("POST") || method.equals("PUT")) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    String authorization = config.authorizationHeader(index);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request.build();
  }
}
