package io.csfle.connect.fieldcrypto;

/** What {@link FieldReencryptor} reports for each field of a record. */
public interface ReencryptionCounts {

  /** The field was at the target DEK already and is left as it is. */
  void fieldAtTarget();

  /** The source DEK {@code version} opened the field. */
  void sourceVersion(int version);

  /** The field was re-encrypted (in verify mode: would be). */
  void fieldReencrypted();
}
