package io.csfle.connect.kms.gcp;

import static io.csfle.connect.testing.RemoteFailureAssertions.assertBoundedMessage;
import static io.csfle.connect.testing.RemoteFailureAssertions.assertChainHoldsNone;
import static io.csfle.connect.testing.RemoteFailureAssertions.thrownWithin;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.kms.v1.DecryptResponse;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.EncryptResponse;
import com.google.protobuf.ByteString;
import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KmsException;
import io.csfle.connect.kms.KmsException.Reason;
import io.csfle.connect.testing.LeakWatch;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gcp-kms through the real Cloud KMS client over gRPC against a service that never answers, sends
 * headers and stalls, floods, garbles or echoes: every call ends within its deadline with a
 * classified, bounded {@link KmsException} that holds neither the private key nor the key material,
 * with every logger (gRPC's and Netty's included) at TRACE.
 */
class GcpKmsAdversarialTest {
  @RegisterExtension static final LeakWatch leaks = new LeakWatch();

  private static final String KEY = "projects/p1/locations/europe-west1/keyRings/ring/cryptoKeys/k";
  private static final byte[] DEK = HexFormat.of().parseHex("1a20" + "b7".repeat(32));
  private static final Duration CALL_BOUND = Duration.ofSeconds(4);
  private static final Duration MARGIN = Duration.ofSeconds(8);

  static {
    leaks.secret(GcpTesting.PRIVATE_KEY).keyBytes(DEK);
  }

  /** Answers Encrypt and Decrypt with the same raw handler. */
  private static Server serve(ServerCallHandler<InputStream, InputStream> handler)
      throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(InMemoryCloudKmsServer.SERVICE)
            .addMethod(raw(InMemoryCloudKmsServer.ENCRYPT), handler)
            .addMethod(raw(InMemoryCloudKmsServer.DECRYPT), handler)
            .build();
    return Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(service)
        .build()
        .start();
  }

  /** The method with the messages left as bytes, so a handler can send anything. */
  private static MethodDescriptor<InputStream, InputStream> raw(MethodDescriptor<?, ?> method) {
    MethodDescriptor.Marshaller<InputStream> bytes =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(InputStream value) {
            return value;
          }

          @Override
          public InputStream parse(InputStream stream) {
            try {
              return new ByteArrayInputStream(stream.readAllBytes());
            } catch (java.io.IOException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    return method.toBuilder(bytes, bytes).build();
  }

  /** A handler that reads the request and answers with {@code answer}. */
  private static ServerCallHandler<InputStream, InputStream> unary(Answer answer) {
    return ServerCalls.asyncUnaryCall(
        (request, response) -> {
          try {
            byte[] bytes = request.readAllBytes();
            Object reply = answer.to(bytes);
            if (reply instanceof Status status) {
              response.onError(status.asRuntimeException());
            } else {
              response.onNext(new ByteArrayInputStream((byte[]) reply));
              response.onCompleted();
            }
          } catch (Exception e) {
            response.onError(e);
          }
        });
  }

  @FunctionalInterface
  interface Answer {
    /** A message's bytes, or a {@link Status} to fail with. */
    Object to(byte[] request) throws Exception;
  }

  private static KmsException failure(
      ServerCallHandler<InputStream, InputStream> handler, boolean unwrap) throws Exception {
    Server server = serve(handler);
    try (Kek kek =
        new GcpKekProvider(GcpTesting.plaintext(), CALL_BOUND).create(KEY, properties(server))) {
      KmsException e =
          thrownWithin(CALL_BOUND.plus(MARGIN), leaks, KmsException.class, () -> call(kek, unwrap));
      assertBoundedMessage(e, KEY);
      assertChainHoldsNone(
          e, Base64.getEncoder().encodeToString(DEK), HexFormat.of().formatHex(DEK), "PRIVATE");
      return e;
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Map<String, String> properties(Server server) {
    return Map.of(
        GcpKekProvider.CLIENT_EMAIL, GcpTesting.EMAIL,
        GcpKekProvider.PRIVATE_KEY, GcpTesting.PRIVATE_KEY,
        GcpKekProvider.ENDPOINT, "localhost:" + server.getPort());
  }

  private static void call(Kek kek, boolean unwrap) {
    if (unwrap) {
      kek.unwrap(new byte[64]);
    } else {
      kek.wrap(DEK);
    }
  }

  static Stream<Arguments> stalls() {
    ServerCallHandler<InputStream, InputStream> never =
        (call, headers) -> {
          call.request(1);
          return new ServerCall.Listener<>() {};
        };
    ServerCallHandler<InputStream, InputStream> headersOnly =
        (call, headers) -> {
          call.request(1);
          call.sendHeaders(new Metadata());
          return new ServerCall.Listener<>() {};
        };
    return Stream.of(
        Arguments.of("never answers", never), Arguments.of("sends headers only", headersOnly));
  }

  @ParameterizedTest(name = "server {0}")
  @MethodSource("stalls")
  void stallingServer_failsUnavailableWithinTheDeadline(
      String name, ServerCallHandler<InputStream, InputStream> handler) throws Exception {
    assertThat(failure(handler, false).reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  static Stream<Arguments> malformed() {
    byte[] echo = new byte[DEK.length + 28];
    System.arraycopy(DEK, 0, echo, 12, DEK.length);
    return Stream.of(
        Arguments.of(
            "bytes that are not a protobuf message",
            unary(r -> new byte[] {(byte) 0xff, 1, 2}),
            Reason.MISCONFIGURED),
        Arguments.of("an empty ciphertext", unary(r -> new byte[0]), Reason.MISCONFIGURED),
        Arguments.of(
            "the key material back as ciphertext",
            unary(r -> encrypted(echo)),
            Reason.MISCONFIGURED),
        Arguments.of(
            "an unknown status",
            unary(r -> Status.UNKNOWN.withDescription("something new")),
            Reason.MISCONFIGURED),
        Arguments.of(
            "UNIMPLEMENTED, as a server that is not Cloud KMS",
            unary(r -> Status.UNIMPLEMENTED.withDescription("unknown service")),
            Reason.MISCONFIGURED),
        Arguments.of(
            "a description of 100 000 characters",
            unary(r -> Status.INVALID_ARGUMENT.withDescription("x\n".repeat(50_000))),
            null),
        Arguments.of(
            "a description that quotes the request",
            unary(
                r ->
                    Status.INVALID_ARGUMENT.withDescription(
                        "bad plaintext "
                            + Base64.getEncoder()
                                .encodeToString(
                                    EncryptRequest.parseFrom(r).getPlaintext().toByteArray())
                            + " "
                            + HexFormat.of()
                                .formatHex(EncryptRequest.parseFrom(r).getPlaintext().toByteArray())
                            + " key "
                            + GcpTesting.PRIVATE_KEY)),
            Reason.MISCONFIGURED),
        Arguments.of(
            // Twice the 1 MiB cap: larger answers only add time under the test's 4 s call bound.
            "an answer of 2 MiB",
            unary(r -> encrypted(new byte[2 * 1024 * 1024])),
            Reason.MISCONFIGURED));
  }

  private static byte[] encrypted(byte[] ciphertext) {
    return EncryptResponse.newBuilder()
        .setName(KEY)
        .setCiphertext(ByteString.copyFrom(ciphertext))
        .build()
        .toByteArray();
  }

  @ParameterizedTest(name = "server answers {0}")
  @MethodSource("malformed")
  void malformedAnswer_isClassifiedAndBounded(
      String name, ServerCallHandler<InputStream, InputStream> handler, Reason expected)
      throws Exception {
    KmsException e = failure(handler, false);

    if (expected != null) {
      assertThat(e.reason()).isEqualTo(expected);
    }
  }

  @Test
  void wrapAndUnwrap_logNoFrameWithTheKeyMaterial() throws Exception {
    // Decrypt's answer starts with the plaintext: a frame dump at DEBUG would show it in hex.
    try (InMemoryCloudKmsServer kms = new InMemoryCloudKmsServer()) {
      kms.allowPrincipal(GcpTesting.EMAIL);
      kms.addKey(KEY);
      try (Kek kek =
          GcpTesting.provider().create(KEY, GcpTesting.properties(kms, GcpTesting.EMAIL))) {
        assertThat(kek.unwrap(kek.wrap(DEK))).isEqualTo(DEK);
      }
    }
    assertThat(leaks.lines()).anyMatch(line -> line.contains("io.grpc"));
  }

  @Test
  void unwrapToEmptyOrOversizedKeyMaterial_isMisconfigured() throws Exception {
    for (byte[] plaintext : new byte[][] {new byte[0], new byte[5000]}) {
      KmsException e =
          failure(
              unary(
                  r ->
                      DecryptResponse.newBuilder()
                          .setPlaintext(ByteString.copyFrom(plaintext))
                          .build()
                          .toByteArray()),
              true);

      assertThat(e.reason()).isEqualTo(Reason.MISCONFIGURED);
    }
  }
}
