/**
 * Command-line tools for key operators: listing, pre-registering, deleting (crypto-shredding),
 * undeleting and re-wrapping DEKs and updating KEKs in either DEK store, as text or JSON,
 * configured with the transforms' own keys (the shared key groups of {@code
 * io.csfle.connect.config}). It reaches keys only through the store, dek and config layers, and
 * must not import the transforms, Tink, Jackson, the KMS SDKs or the Connect API (it runs outside a
 * worker).
 */
package io.csfle.connect.admin;
