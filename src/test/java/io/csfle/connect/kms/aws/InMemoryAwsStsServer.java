package io.csfle.connect.kms.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake STS answering {@code AssumeRole} (AWS Query protocol: form-encoded request, XML response)
 * on 127.0.0.1 with fixed temporary credentials. Only callers signing with an allowed access key id
 * may assume a role; others get 403 {@code AccessDenied}.
 */
public final class InMemoryAwsStsServer implements AutoCloseable {
  public static final String ASSUMED_ACCESS_KEY_ID = "ASIAFAKEASSUMEDROLE1";
  static final String ASSUMED_SECRET = "assumed/FAKE+secretAccessKey0123456789ab";

  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");

  private final HttpServer server;
  private final String allowedAccessKeyId;
  private final Map<String, String> lastRequest = new ConcurrentHashMap<>();

  public InMemoryAwsStsServer(String allowedAccessKeyId) throws IOException {
    this.allowedAccessKeyId = allowedAccessKeyId;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The form parameters of the last AssumeRole request. */
  public Map<String, String> lastRequest() {
    return Map.copyOf(lastRequest);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      lastRequest.clear();
      lastRequest.putAll(form(body));
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      Matcher credential = authorization == null ? null : CREDENTIAL.matcher(authorization);
      if (credential == null
          || !credential.find()
          || !credential.group(1).equals(allowedAccessKeyId)) {
        reply(
            exchange,
            403,
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                + "<Message>not authorized to perform sts:AssumeRole</Message></Error>"
                + "<RequestId>fake</RequestId></ErrorResponse>");
        return;
      }
      reply(
          exchange,
          200,
          "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
              + "<AssumeRoleResult><Credentials>"
              + "<AccessKeyId>"
              + ASSUMED_ACCESS_KEY_ID
              + "</AccessKeyId><SecretAccessKey>"
              + ASSUMED_SECRET
              + "</SecretAccessKey><SessionToken>fake-session-token</SessionToken>"
              + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
              + "<AssumedRoleUser><Arn>"
              + lastRequest.get("RoleArn")
              + "/session</Arn><AssumedRoleId>AROAFAKE:session</AssumedRoleId>"
              + "</AssumedRoleUser></AssumeRoleResult>"
              + "<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>"
              + "</AssumeRoleResponse>");
    } finally {
      exchange.close();
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
