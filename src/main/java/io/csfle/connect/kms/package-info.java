/**
 * The KEK seam: a key encryption key is something that wraps and unwraps DEK bytes ({@link
 * io.csfle.connect.kms.Kek}), built by the {@link io.csfle.connect.kms.KekProvider} registered for
 * its {@code kmsType} in the explicit table of {@link io.csfle.connect.kms.KekProviders}. One
 * sub-package per provider; only those sub-packages may import a KMS SDK. This package must not
 * import Kafka, the registry or anything above it.
 */
package io.csfle.connect.kms;
