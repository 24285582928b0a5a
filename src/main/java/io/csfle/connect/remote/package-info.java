/**
 * What every client of a remote service (the DEK registry, a KMS) needs to stay safe against a
 * broken or hostile server: {@link io.csfle.connect.remote.BoundedHttp}, one HTTP exchange with a
 * hard bound on its whole duration and a cap on the body it reads; and the {@link
 * io.csfle.connect.remote.SecretScrubber} that removes configured credentials from any server text
 * before it is cut and before it reaches an exception or a log ({@link
 * io.csfle.connect.remote.ScrubbedException} does the same for a transport failure kept as a
 * cause). Plain Java only: this package must not import Kafka, an SDK, or any other package of the
 * project, so that {@code kms} and {@code registry} can both use it.
 */
package io.csfle.connect.remote;
