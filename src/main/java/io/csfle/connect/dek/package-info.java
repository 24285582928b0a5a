/**
 * Get-or-create, unwrap and cache DEKs. This is the only package that sees plaintext key material;
 * it hands it out only inside {@link io.csfle.connect.crypto.FieldCipher} objects. It implements
 * Confluent's client behaviour: KEK/DEK auto-create on write, 409 race resolution, deleted keys on
 * read, rotation by expiry, shared KEKs, and bounded caching so that steady state makes no remote
 * calls. It trusts no store answer: every KEK and DEK a store returns is checked against the
 * request ({@code CheckingDekStore}) before its key is used.
 */
package io.csfle.connect.dek;
