package io.csfle.connect.store;

import java.util.Map;

/**
 * A KEK as the registry holds it: a name bound to a KMS key ({@code kmsType://kmsKeyId}).
 *
 * @param kmsProps provider properties stored with the KEK, never {@code null}
 * @param doc free text, may be {@code null}
 * @param shared when true the registry itself wraps and unwraps DEKs and returns {@code
 *     keyMaterial}
 * @param ts server time of the last change, epoch milliseconds
 */
public record RegisteredKek(
    String name,
    String kmsType,
    String kmsKeyId,
    Map<String, String> kmsProps,
    String doc,
    boolean shared,
    long ts,
    boolean deleted) {

  public RegisteredKek {
    kmsProps = kmsProps == null ? Map.of() : Map.copyOf(kmsProps);
  }
}
