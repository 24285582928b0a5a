package io.csfle.connect.kms.gcp;

import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KekProviderContract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The shared KMS contract, run against the real Cloud KMS client and an in-process Cloud KMS. */
class GcpKekProviderContractTest extends KekProviderContract {
  private static final String KEY = "projects/p1/locations/global/keyRings/ring/cryptoKeys/orders";
  private static final String UNKNOWN =
      "projects/p1/locations/global/keyRings/ring/cryptoKeys/missing";

  private InMemoryCloudKmsServer kms;

  @BeforeEach
  void start() throws Exception {
    kms = new InMemoryCloudKmsServer();
    kms.allowPrincipal(GcpTesting.EMAIL);
    kms.addKey(KEY);
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  @Override
  protected KekProvider provider() {
    return GcpTesting.provider();
  }

  @Override
  protected String keyId() {
    return KEY;
  }

  @Override
  protected String unknownKeyId() {
    return UNKNOWN;
  }

  @Override
  protected Map<String, String> properties() {
    return GcpTesting.properties(kms, GcpTesting.EMAIL);
  }

  @Override
  protected Map<String, String> deniedProperties() {
    return GcpTesting.properties(kms, "intruder@project-1.iam.gserviceaccount.com");
  }

  @Override
  protected void throttleNext(int count) {
    kms.throttleNext(count);
  }

  @Override
  protected void disableKey() {
    kms.disable(KEY);
  }
}
