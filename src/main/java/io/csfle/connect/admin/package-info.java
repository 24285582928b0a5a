/**
 * Command-line tools for key operators: listing, deleting (crypto-shredding), undeleting and
 * re-wrapping DEKs in either DEK store, configured with the transforms' own keys. It reaches keys
 * only through the registry, dek and transforms layers, and must not import Tink, Jackson, the KMS
 * SDKs or the Connect API (it runs outside a worker).
 */
package io.csfle.connect.admin;
