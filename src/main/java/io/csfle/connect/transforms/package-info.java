/**
 * The {@code EncryptField} and {@code DecryptField} single message transforms, their configuration,
 * and the one place ({@link io.csfle.connect.transforms.ConnectErrors}) where every lower layer's
 * exception becomes a Connect exception.
 */
package io.csfle.connect.transforms;
