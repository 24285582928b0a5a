package io.csfle.connect.store.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekStoreException;
import io.csfle.connect.store.DekSubject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers no well-behaved server gives: the client reports them as REJECTED registry errors, and
 * never turns them into a request for version 0 (which used to end as an unclassified {@code
 * IllegalArgumentException}).
 */
class RestDekStoreMalformedAnswerTest {
  private static final DekAlgorithm GCM = DekAlgorithm.AES256_GCM;
  private static final String DEK_PATH = "/dek-registry/v1/keks/k/deks/s/versions";

  /** Path (no query) to status and body; anything else is a 404. */
  private final Map<String, Object[]> answers = new ConcurrentHashMap<>();

  private final HttpServer server = start();
  private final RestDekStore registry =
      new RestDekStore(
          RegistryTestSupport.fastConfig("http://127.0.0.1:" + server.getAddress().getPort())
              .build());

  private HttpServer start() {
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      s.createContext(
          "/",
          exchange -> {
            try (exchange) {
              Object[] answer =
                  answers.getOrDefault(
                      exchange.getRequestURI().getRawPath(), new Object[] {404, "{}"});
              byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders((int) answer[0], body.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            }
          });
      s.start();
      return s;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    registry.close();
    server.stop(0);
  }

  private void answer(String path, int status, String body) {
    answers.put(path, new Object[] {status, body.replace('\'', '"')});
  }

  private static DekStoreException rejected(Object outcome) {
    assertThat(outcome).isInstanceOf(DekStoreException.class);
    DekStoreException e = (DekStoreException) outcome;
    assertThat(e.kind()).isEqualTo(DekStoreException.Kind.REJECTED);
    return e;
  }

  @ParameterizedTest
  @ValueSource(strings = {"[0,1]", "[-3]", "[1,2,2]"})
  void versionListBelowOneOrWithDuplicates_isRejected(String list) {
    answer(DEK_PATH, 200, list);

    DekStoreException e =
        rejected(
            RegistryTestSupport.outcome(
                () -> registry.listDekVersions(new DekSubject("k", "s", GCM), true)));

    assertThat(e).hasMessageContaining("Malformed DEK versions");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[0]", "[-3]"})
  void latestFallingBackToAListBelowOne_isRejectedNotAnIllegalArgument(String list) {
    answer(DEK_PATH + "/latest", 422, "{'error_code':42202,'message':'bad version'}");
    answer(DEK_PATH, 200, list);

    rejected(
        RegistryTestSupport.outcome(
            () -> registry.getLatestDek(new DekSubject("k", "s", GCM), false)));
  }

  @Test
  void latestWithoutAVersion_isRejected() {
    answer(DEK_PATH + "/latest", 200, "{'subject':'s','encryptedKeyMaterial':'AQ=='}");

    DekStoreException e =
        rejected(
            RegistryTestSupport.outcome(
                () -> registry.getLatestDek(new DekSubject("k", "s", GCM), false)));

    assertThat(e).hasMessageContaining("missing 'version'");
  }
}
