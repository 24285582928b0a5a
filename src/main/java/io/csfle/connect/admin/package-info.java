/**
 * Command-line tools for key operators: listing, deleting (crypto-shredding), undeleting and
 * re-wrapping DEKs in either DEK store, configured with the transforms' own keys.
 */
package io.csfle.connect.admin;
