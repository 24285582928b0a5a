package io.csfle.connect.field;

import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;

/**
 * A {@link RecordRewriter} planned with a {@link FieldRewrite} and handed the same rewrite for
 * values on every call, as the walker tests need (their rewrites keep no per-record state).
 */
final class BoundRewriter {
  private final RecordRewriter rewriter;
  private final FieldRewrite rewrite;

  BoundRewriter(List<FieldPath> paths, FieldRewrite rewrite, MissingFieldPolicy onMissing, int n) {
    this.rewriter = new RecordRewriter(paths, rewrite, onMissing, n);
    this.rewrite = rewrite;
  }

  SchemaAndValue rewrite(Schema schema, Object value) {
    return rewriter.rewrite(schema, value, rewrite);
  }

  List<FieldPath> paths() {
    return rewriter.paths();
  }
}
