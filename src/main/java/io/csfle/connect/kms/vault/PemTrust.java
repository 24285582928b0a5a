package io.csfle.connect.kms.vault;

import io.csfle.connect.kms.KmsException;
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

/** An {@link SSLContext} that trusts exactly the CA certificates of one PEM file. */
final class PemTrust {

  private PemTrust() {}

  static SSLContext sslContext(String pemPath) {
    try (InputStream in = Files.newInputStream(Path.of(pemPath))) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw misconfigured(pemPath, "it holds no certificate", null);
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
      throw misconfigured(pemPath, "it cannot be read", e);
    } catch (GeneralSecurityException e) {
      throw misconfigured(pemPath, "it is not a PEM X.509 certificate file", e);
    }
  }

  private static KmsException misconfigured(String pemPath, String why, Exception cause) {
    return new KmsException(
        KmsException.Reason.MISCONFIGURED,
        "Cannot use ca.cert.path '" + pemPath + "' for Vault TLS: " + why,
        cause);
  }
}
