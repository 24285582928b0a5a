package io.csfle.connect.kms.gcp;

import com.google.cloud.kms.v1.DecryptRequest;
import com.google.cloud.kms.v1.DecryptResponse;
import com.google.cloud.kms.v1.EncryptRequest;
import com.google.cloud.kms.v1.EncryptResponse;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Cloud KMS {@code Encrypt}/{@code Decrypt} over real gRPC on localhost (plaintext). The service
 * stub is not published, so the methods are declared here from the public proto messages. Each key
 * is a real AES-256-GCM key; the key name is the associated data, so a ciphertext of another key
 * fails like an altered one, with {@code INVALID_ARGUMENT}. Callers are identified by the {@link
 * #PRINCIPAL} header; unknown principals get {@code PERMISSION_DENIED}.
 */
final class InMemoryCloudKmsServer implements AutoCloseable {
  static final String SERVICE = "google.cloud.kms.v1.KeyManagementService";
  static final Metadata.Key<String> PRINCIPAL =
      Metadata.Key.of("x-fake-principal", Metadata.ASCII_STRING_MARSHALLER);

  static final MethodDescriptor<EncryptRequest, EncryptResponse> ENCRYPT =
      MethodDescriptor.<EncryptRequest, EncryptResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(SERVICE + "/Encrypt")
          .setRequestMarshaller(ProtoUtils.marshaller(EncryptRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(EncryptResponse.getDefaultInstance()))
          .build();
  static final MethodDescriptor<DecryptRequest, DecryptResponse> DECRYPT =
      MethodDescriptor.<DecryptRequest, DecryptResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(SERVICE + "/Decrypt")
          .setRequestMarshaller(ProtoUtils.marshaller(DecryptRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(DecryptResponse.getDefaultInstance()))
          .build();

  private static final Context.Key<String> CALLER = Context.key("caller");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();
  private final Set<String> principals = ConcurrentHashMap.newKeySet();
  private final AtomicInteger throttled = new AtomicInteger();
  private final CopyOnWriteArrayList<String> calls = new CopyOnWriteArrayList<>();
  private final Server server;

  InMemoryCloudKmsServer() throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(ENCRYPT, ServerCalls.asyncUnaryCall(this::encrypt))
            .addMethod(DECRYPT, ServerCalls.asyncUnaryCall(this::decrypt))
            .build();
    ServerInterceptor identify =
        new ServerInterceptor() {
          @Override
          public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
              io.grpc.ServerCall<Q, R> call,
              Metadata headers,
              io.grpc.ServerCallHandler<Q, R> next) {
            String caller = headers.get(PRINCIPAL);
            return Contexts.interceptCall(
                Context.current().withValue(CALLER, caller == null ? "" : caller),
                call,
                headers,
                next);
          }
        };
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(ServerInterceptors.intercept(service, identify))
            .build()
            .start();
  }

  String endpoint() {
    return "localhost:" + server.getPort();
  }

  void allowPrincipal(String principal) {
    principals.add(principal);
  }

  void addKey(String name) throws GeneralSecurityException {
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256);
    keys.put(name, generator.generateKey());
  }

  /** A key with fixed bytes, for golden ciphertexts. */
  void addKey(String name, byte[] aes256Key) {
    keys.put(name, new javax.crypto.spec.SecretKeySpec(aes256Key.clone(), "AES"));
  }

  void disable(String name) {
    disabled.add(name);
  }

  void throttleNext(int count) {
    throttled.set(count);
  }

  /** Method and key name of every call that reached the service. */
  java.util.List<String> calls() {
    return java.util.List.copyOf(calls);
  }

  private SecretKey check(String method, String name) {
    calls.add(method + " " + name);
    if (throttled.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      throw Status.RESOURCE_EXHAUSTED.withDescription("Quota exceeded").asRuntimeException();
    }
    if (!principals.contains(CALLER.get())) {
      throw Status.PERMISSION_DENIED
          .withDescription(
              "Permission 'cloudkms.cryptoKeyVersions.useTo"
                  + method
                  + "' denied on resource '"
                  + name
                  + "' (or it may not exist).")
          .asRuntimeException();
    }
    SecretKey key = keys.get(name);
    if (key == null) {
      throw Status.NOT_FOUND.withDescription(name + " not found.").asRuntimeException();
    }
    if (disabled.contains(name)) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              name + "/cryptoKeyVersions/1 is not enabled, current state is: DISABLED.")
          .asRuntimeException();
    }
    return key;
  }

  private void encrypt(EncryptRequest request, StreamObserver<EncryptResponse> response) {
    try {
      SecretKey key = check("Encrypt", request.getName());
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      byte[] sealed = aes(Cipher.ENCRYPT_MODE, key, iv, request.getName(), request.getPlaintext());
      byte[] out = ByteBuffer.allocate(12 + sealed.length).put(iv).put(sealed).array();
      response.onNext(
          EncryptResponse.newBuilder()
              .setName(request.getName() + "/cryptoKeyVersions/1")
              .setCiphertext(ByteString.copyFrom(out))
              .build());
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(e);
    }
  }

  private void decrypt(DecryptRequest request, StreamObserver<DecryptResponse> response) {
    try {
      SecretKey key = check("Decrypt", request.getName());
      byte[] in = request.getCiphertext().toByteArray();
      if (in.length < 12 + 16) {
        throw Status.INVALID_ARGUMENT.withDescription("Decryption failed").asRuntimeException();
      }
      byte[] iv = java.util.Arrays.copyOf(in, 12);
      byte[] plain =
          aes(
              Cipher.DECRYPT_MODE,
              key,
              iv,
              request.getName(),
              ByteString.copyFrom(in, 12, in.length - 12));
      response.onNext(
          DecryptResponse.newBuilder().setPlaintext(ByteString.copyFrom(plain)).build());
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(e);
    }
  }

  private static byte[] aes(int mode, SecretKey key, byte[] iv, String name, ByteString data) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(128, iv));
      cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(data.toByteArray());
    } catch (GeneralSecurityException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Decryption failed: the ciphertext is invalid.")
          .asRuntimeException();
    }
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
