package io.csfle.connect.field;

/**
 * What a {@link RecordRewriter} does when a path names a field that a record's Struct schema does
 * not have. Only schemas are judged: a key missing from a Map is always left alone, because Map
 * contents legitimately vary from record to record.
 */
public enum MissingFieldPolicy {
  /**
   * Reject the schema with a {@link FieldPathException}. The default: a misspelt path must never
   * let a field that was meant to be rewritten (encrypted) pass through unchanged.
   */
  FAIL,

  /** Leave the record alone as far as that path goes, e.g. for fields only some schemas have. */
  SKIP
}
