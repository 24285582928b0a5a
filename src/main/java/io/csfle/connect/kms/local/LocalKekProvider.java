package io.csfle.connect.kms.local;

import io.csfle.connect.kms.Kek;
import io.csfle.connect.kms.KekProvider;
import io.csfle.connect.kms.KmsException;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Builds {@code local-kms} KEKs from the {@code secret} property, falling back to the {@code
 * LOCAL_SECRET} environment variable as Confluent's clients do. The key id is ignored.
 */
public final class LocalKekProvider implements KekProvider {
  public static final String KMS_TYPE = "local-kms";
  public static final String SECRET_PROPERTY = "secret";
  public static final String SECRET_ENV = "LOCAL_SECRET";

  private final UnaryOperator<String> environment;

  public LocalKekProvider() {
    this(System::getenv);
  }

  /** For tests: reads "environment variables" from the given lookup. */
  public LocalKekProvider(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public String kmsType() {
    return KMS_TYPE;
  }

  @Override
  public Kek create(String kmsKeyId, Map<String, String> properties) {
    String secret = properties.get(SECRET_PROPERTY);
    if (secret == null || secret.isEmpty()) {
      secret = environment.apply(SECRET_ENV);
    }
    if (secret == null || secret.isEmpty()) {
      throw new KmsException(
          KmsException.Reason.MISCONFIGURED,
          "local-kms needs a secret: set kms.secret in the transform config or the "
              + SECRET_ENV
              + " environment variable of the worker");
    }
    return new LocalKek(secret);
  }
}
