package io.csfle.connect.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DEK subject template such as {@code ${topic}-value}. Subjects are cached per topic, so the
 * per-record cost is one map lookup; the cache is concurrent, as one transform may serve several
 * threads.
 */
public final class SubjectTemplate {
  private static final String TOPIC = "${topic}";
  private static final int MAX_CACHED_TOPICS = 1_000;

  private final String template;
  private final Map<String, String> subjectByTopic = new ConcurrentHashMap<>();

  public SubjectTemplate(String template) {
    this.template = template;
  }

  /** The subject of records of {@code topic}. */
  public String subjectFor(String topic) {
    String subject = subjectByTopic.get(topic);
    if (subject == null) {
      subject = template.replace(TOPIC, topic);
      if (subjectByTopic.size() >= MAX_CACHED_TOPICS) {
        subjectByTopic.clear();
      }
      subjectByTopic.put(topic, subject);
    }
    return subject;
  }
}
