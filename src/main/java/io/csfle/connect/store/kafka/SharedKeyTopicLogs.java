package io.csfle.connect.store.kafka;

import io.csfle.connect.store.kafka.KafkaDekStoreConfig.ReaderIdentity;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link KeyTopicLog} per (bootstrap servers, topic, client overrides) in this JVM, shared by
 * every store that names them: all tasks of a worker read the key topic once. Reference-counted;
 * the last release closes the clients. Thread-safe (one lock; acquire and release are rare).
 */
final class SharedKeyTopicLogs {
  private static final Map<ReaderIdentity, Holder> LOGS = new HashMap<>();

  private static final class Holder {
    final KeyTopicLog log;
    int references;

    Holder(KeyTopicLog log) {
      this.log = log;
    }
  }

  private SharedKeyTopicLogs() {}

  static synchronized KeyTopicLog acquire(KafkaDekStoreConfig config) {
    Holder holder = LOGS.get(config.readerIdentity());
    if (holder == null) {
      holder = new Holder(new KeyTopicLog(config));
      LOGS.put(config.readerIdentity(), holder);
    }
    holder.references++;
    return holder.log;
  }

  static synchronized void release(KafkaDekStoreConfig config, KeyTopicLog log) {
    Holder holder = LOGS.get(config.readerIdentity());
    if (holder == null || holder.log != log) {
      return;
    }
    if (--holder.references == 0) {
      LOGS.remove(config.readerIdentity());
      log.close();
    }
  }

  /** How many logs are open in this JVM. */
  static synchronized int openCount() {
    return LOGS.size();
  }

  /** How many stores hold the log for {@code config}; 0 when none is open. */
  static synchronized int references(KafkaDekStoreConfig config) {
    Holder holder = LOGS.get(config.readerIdentity());
    return holder == null ? 0 : holder.references;
  }
}
