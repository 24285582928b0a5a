package io.csfle.connect.kms;

import java.util.Map;
import java.util.function.BiFunction;

/** A provider for tests: {@code factory} builds the KEK from the key id and properties. */
public record TestKekProvider(String kmsType, BiFunction<String, Map<String, String>, Kek> factory)
    implements KekProvider {

  @Override
  public Kek create(String kmsKeyId, Map<String, String> properties) {
    return factory.apply(kmsKeyId, properties);
  }
}
