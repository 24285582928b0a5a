package io.csfle.connect.kms.aws;

import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KekProviderContract;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The shared KMS contract, run against the real AWS SDK and an in-process AWS KMS. */
class AwsKekProviderContractTest extends KekProviderContract {
  private static final String KEY_ARN =
      "arn:aws:kms:eu-west-1:111122223333:key/00000000-aaaa-bbbb-cccc-000000000001";
  private static final String UNKNOWN_ARN =
      "arn:aws:kms:eu-west-1:111122223333:key/00000000-aaaa-bbbb-cccc-00000000dead";
  private static final String ACCESS_KEY_ID = "AKIACONTRACT00000001";

  private InMemoryAwsKmsServer kms;

  @BeforeEach
  void start() throws Exception {
    kms = new InMemoryAwsKmsServer();
    kms.allowAccessKeyId(ACCESS_KEY_ID);
    kms.addKey(KEY_ARN);
  }

  @AfterEach
  void stop() {
    kms.close();
  }

  @Override
  protected KekProvider provider() {
    return new AwsKekProvider();
  }

  @Override
  protected String keyId() {
    return KEY_ARN;
  }

  @Override
  protected String unknownKeyId() {
    return UNKNOWN_ARN;
  }

  @Override
  protected Map<String, String> properties() {
    Map<String, String> properties = new HashMap<>();
    properties.put(AwsKekProvider.ACCESS_KEY_ID, ACCESS_KEY_ID);
    properties.put(AwsKekProvider.SECRET_ACCESS_KEY, "contract-secret-access-key");
    properties.put(AwsKekProvider.ENDPOINT, kms.endpoint().toString());
    return properties;
  }

  @Override
  protected Map<String, String> deniedProperties() {
    Map<String, String> properties = properties();
    properties.put(AwsKekProvider.ACCESS_KEY_ID, "AKIANOTALLOWED000001");
    return properties;
  }

  @Override
  protected void throttleNext(int count) {
    kms.throttleNext(count);
  }

  @Override
  protected void disableKey() {
    kms.disable(KEY_ARN);
  }
}
