package io.csfle.connect.kms;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code 127.0.0.1} made once per JVM by the JDK's keytool, for the
 * HTTPS fakes of KMS services: the server side's {@link SSLContext} and the PEM a client is told to
 * trust ({@code ca.cert.path}).
 */
public final class ThrowawayCertificate {
  private static final String PASSWORD = "changeit";
  private static Path dir;

  private ThrowawayCertificate() {}

  /** The certificate as PEM, for {@code ca.cert.path}. */
  public static synchronized Path caPem() throws Exception {
    if (dir == null) {
      Path created = Files.createTempDirectory("throwaway-certificate");
      Path keystore = created.resolve("server.p12");
      keytool(
          "-genkeypair",
          "-alias",
          "server",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=127.0.0.1",
          "-ext",
          "SAN=ip:127.0.0.1",
          "-validity",
          "2",
          "-storetype",
          "PKCS12",
          "-keystore",
          keystore.toString(),
          "-storepass",
          PASSWORD,
          "-keypass",
          PASSWORD);
      keytool(
          "-exportcert",
          "-rfc",
          "-alias",
          "server",
          "-keystore",
          keystore.toString(),
          "-storepass",
          PASSWORD,
          "-file",
          created.resolve("ca.pem").toString());
      created.toFile().deleteOnExit();
      keystore.toFile().deleteOnExit();
      created.resolve("ca.pem").toFile().deleteOnExit();
      dir = created;
    }
    return dir.resolve("ca.pem");
  }

  /** A server-side TLS context presenting the certificate. */
  public static SSLContext serverTls() throws Exception {
    Path pem = caPem();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pem.resolveSibling("server.p12"))) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(factory.getKeyManagers(), null, null);
    return tls;
  }

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
  }
}
