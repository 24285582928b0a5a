package io.csfle.connect.store;

import java.util.Map;

/** The body of a create-KEK request. */
public record NewKek(
    String name,
    String kmsType,
    String kmsKeyId,
    Map<String, String> kmsProps,
    String doc,
    boolean shared) {

  public NewKek {
    kmsProps = kmsProps == null ? Map.of() : Map.copyOf(kmsProps);
  }
}
