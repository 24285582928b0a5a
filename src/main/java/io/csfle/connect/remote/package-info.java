/**
 * What every client of a remote service (the DEK registry, a KMS) needs to stay safe against a
 * broken or hostile server: the {@link io.csfle.connect.remote.SecretScrubber} that removes
 * configured credentials from any server text before it is cut and before it reaches an exception
 * or a log. Plain Java only: this package must not import Kafka, an SDK, or any other package of
 * the project, so that {@code kms} and {@code registry} can both use it.
 */
package io.csfle.connect.remote;
