package io.csfle.connect.reencrypt;

import io.csfle.connect.fieldcrypto.ReencryptionCounts;
import java.util.TreeMap;

/** What the field rewrite saw in the current record: fields changed, fields at target, versions. */
final class RecordStats implements ReencryptionCounts {
  private int reencrypted;
  private int atTarget;
  private final TreeMap<Integer, Integer> sourceVersions = new TreeMap<>();

  void reset() {
    reencrypted = 0;
    atTarget = 0;
    sourceVersions.clear();
  }

  @Override
  public void fieldReencrypted() {
    reencrypted++;
  }

  @Override
  public void fieldAtTarget() {
    atTarget++;
  }

  @Override
  public void sourceVersion(int version) {
    sourceVersions.merge(version, 1, Integer::sum);
  }

  /** True when no field needed re-encryption. */
  boolean unchanged() {
    return reencrypted == 0;
  }

  TreeMap<Integer, Integer> sourceVersions() {
    return sourceVersions;
  }
}
