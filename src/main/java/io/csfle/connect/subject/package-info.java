/**
 * DEK subject templates: {@code dek.subject} parsed once ({@link
 * io.csfle.connect.subject.SubjectTemplate}), and rendered per record from its topic, key, value
 * fields and headers. Record data is percent-encoded so that it cannot add separators or name
 * another subject, and failures never quote a record's values. It reads fields by {@code
 * field.FieldPath}; it knows nothing of crypto, keys, stores or configuration keys, and must not
 * import {@code config}, {@code fieldcrypto} or anything above them.
 */
package io.csfle.connect.subject;
