/**
 * The configuration keys the transforms, the re-encryption connector and the key tool share, one
 * small type per group ({@code FieldKeys}, {@code KekKeys}, {@code KmsCredentialKeys}, {@code
 * RegistryKeys}, {@code DekStoreKeys}): each declares its keys as a table of {@link
 * io.csfle.connect.config.KeySpec}s (name, type, default, validator, doc), appends them to a {@code
 * ConfigDef} and reads them back into plain values. {@code DekStores} is the one place that turns
 * {@code dek.store} into a store. Recommenders only hide keys that do not apply in UIs that render
 * a {@code ConfigDef}. It sits above {@code field} and below the transforms: it must not import
 * {@code transforms}, {@code reencrypt}, {@code admin}, the Connect API or any SDK.
 */
package io.csfle.connect.config;
