package io.csfle.connect.kms;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} that trusts exactly the CA certificates of one PEM file: the {@code
 * ca.cert.path} setting shared by the providers that speak HTTPS themselves (Vault, Azure).
 */
public final class PemTrust {

  private PemTrust() {}

  /**
   * @param kmsType named in error messages, e.g. {@code hcvault}
   * @throws KmsException with {@link KmsException.Reason#MISCONFIGURED} when the file is unusable
   */
  public static SSLContext sslContext(String kmsType, String pemPath) {
    try (InputStream in = Files.newInputStream(Path.of(pemPath))) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw misconfigured(kmsType, pemPath, "it holds no certificate", null);
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw misconfigured(kmsType, pemPath, "it cannot be read", e);
    } catch (GeneralSecurityException e) {
      throw misconfigured(kmsType, pemPath, "it is not a PEM X.509 certificate file", e);
    }
  }

  private static KmsException misconfigured(
      String kmsType, String pemPath, String why, Exception cause) {
    return new KmsException(
        KmsException.Reason.MISCONFIGURED,
        "Cannot use ca.cert.path '" + pemPath + "' for " + kmsType + " TLS: " + why,
        cause);
  }
}
