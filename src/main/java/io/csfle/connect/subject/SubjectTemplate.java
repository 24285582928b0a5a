package io.csfle.connect.subject;

import io.csfle.connect.field.FieldPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.connector.ConnectRecord;

/**
 * A parsed DEK subject template such as {@code ${topic}-value} or {@code
 * customer-${value.after.customer_id|value.before.customer_id}}: literal text and placeholders,
 * each with one or more alternative sources ({@link SubjectSource}); the first present, non-null
 * and non-empty one gives the placeholder's value, percent-encoded ({@link SubjectValueEncoding}).
 *
 * <p>A template that reads only the topic renders each topic once and caches the subject, so a
 * record costs one map lookup and no allocation, as before templates could read record data. The
 * cache is concurrent, as one transform may serve several threads. A template that reads record
 * data renders every record, and when a placeholder has no value it uses its fallback (a topic-only
 * template), if it has one, or fails the record.
 */
public final class SubjectTemplate {
  /**
   * The longest subject rendered from record data. A subject is a path segment of the DEK
   * registry's REST API and a key of the DEK store, and a per-entity subject is a key of every DEK
   * cache: 255 characters stays within the segment and name limits common to HTTP servers, proxies
   * and file systems, and keeps a hostile record from growing URLs and caches without bound. An
   * entity id longer than that is not an id.
   */
  public static final int MAX_LENGTH = 255;

  private static final int MAX_CACHED_TOPICS = 1_000;

  private final String text;
  private final List<TemplatePart> parts;
  private final boolean topicOnly;
  private final SubjectTemplate fallback;
  private final Map<String, String> subjectByTopic = new ConcurrentHashMap<>();

  /**
   * The last topic rendered and its subject: records come in runs of one topic, and the same topic
   * String, so most records skip even the map's lookup. Racy but safe: a record's final fields
   * publish it whole, and a stale one only costs the lookup.
   */
  private TopicSubject lastTopic;

  private record TopicSubject(String topic, String subject) {}

  private SubjectTemplate(String text, List<TemplatePart> parts, SubjectTemplate fallback) {
    this.text = text;
    this.parts = parts;
    this.topicOnly =
        parts.stream().allMatch(p -> !(p instanceof TemplatePart.Placeholder ph) || ph.topicOnly());
    this.fallback = fallback;
  }

  /**
   * Parses {@code template}.
   *
   * @throws SubjectTemplateException when it is empty, has an unclosed {@code ${}, an empty
   *     placeholder or source, an unknown source or a malformed field path
   */
  public static SubjectTemplate parse(String template) {
    return new SubjectTemplate(template, TemplateParser.parse(template), null);
  }

  /**
   * This template with {@code fallback} for records that lack a placeholder's data.
   *
   * @throws SubjectTemplateException when {@code fallback} reads record data
   */
  public SubjectTemplate withFallback(SubjectTemplate fallback) {
    if (fallback.readsRecordData()) {
      throw new SubjectTemplateException(
          "a fallback subject template may use only ${topic}: '"
              + fallback
              + "' reads record data");
    }
    return new SubjectTemplate(text, parts, fallback);
  }

  /** True when a placeholder reads anything but the topic. */
  public boolean readsRecordData() {
    return !topicOnly;
  }

  /**
   * The DEK subject of {@code record}.
   *
   * @throws SubjectDataException when a placeholder has no value and there is no fallback, a source
   *     holds a value that cannot name a subject, or the subject is longer than {@link #MAX_LENGTH}
   */
  public String subjectOf(ConnectRecord<?> record) {
    if (topicOnly) {
      return subjectForTopic(record.topic());
    }
    StringBuilder subject = new StringBuilder(64);
    for (TemplatePart part : parts) {
      if (part instanceof TemplatePart.Placeholder placeholder) {
        String value = valueOf(placeholder, record, MAX_LENGTH - subject.length());
        if (value == null) {
          return missing(placeholder, record);
        }
        subject.append(value);
      } else {
        subject.append(((TemplatePart.Literal) part).text());
      }
      if (subject.length() > MAX_LENGTH) {
        throw tooLong(part instanceof TemplatePart.Placeholder p ? p.text() : "its literal text");
      }
    }
    return subject.toString();
  }

  /**
   * The subject of records of {@code topic}, for a template that reads only the topic.
   *
   * @throws IllegalStateException when the template reads record data
   */
  public String subjectForTopic(String topic) {
    if (!topicOnly) {
      throw new IllegalStateException("DEK subject template '" + text + "' reads record data");
    }
    TopicSubject last = lastTopic;
    if (last != null && last.topic() == topic) {
      return last.subject();
    }
    String subject = subjectByTopic.get(topic);
    if (subject == null) {
      StringBuilder rendered = new StringBuilder();
      for (TemplatePart part : parts) {
        rendered.append(part instanceof TemplatePart.Literal literal ? literal.text() : topic);
      }
      subject = rendered.toString();
      if (subjectByTopic.size() >= MAX_CACHED_TOPICS) {
        subjectByTopic.clear();
      }
      subjectByTopic.put(topic, subject);
    }
    if (last == null || !last.topic().equals(topic)) {
      lastTopic = new TopicSubject(topic, subject); // not for equal Strings: no garbage per record
    }
    return subject;
  }

  /**
   * Why this template may not be used by a transform that encrypts or decrypts {@code fields} of
   * the record's key ({@code keySide}) or value, or null when it may. Encrypting and decrypting
   * must render the same subject from the same record, so a source may not read data the transform
   * changes: a field path equal to, under or above one of {@code fields}, or the whole key.
   */
  public String conflictWith(List<FieldPath> fields, boolean keySide) {
    SubjectSource.Kind changedSide =
        keySide ? SubjectSource.Kind.KEY_FIELD : SubjectSource.Kind.VALUE_FIELD;
    for (SubjectSource source : sources()) {
      if (keySide && source.kind() == SubjectSource.Kind.KEY) {
        return "source 'key' reads the record key, whose fields this transform encrypts or"
            + " decrypts: the writer and the reader would render different subjects";
      }
      if (source.kind() != changedSide) {
        continue;
      }
      for (FieldPath field : fields) {
        if (source.path().overlaps(field)) {
          return "source '"
              + source.text()
              + "' reads the field '"
              + field
              + "' (or a field inside or around it), which this transform encrypts or decrypts:"
              + " the writer and the reader would render different subjects";
        }
      }
    }
    return null;
  }

  /** Every source of every placeholder, in template order. */
  public List<SubjectSource> sources() {
    List<SubjectSource> sources = new ArrayList<>();
    for (TemplatePart part : parts) {
      if (part instanceof TemplatePart.Placeholder placeholder) {
        sources.addAll(placeholder.sources());
      }
    }
    return sources;
  }

  private String valueOf(TemplatePart.Placeholder placeholder, ConnectRecord<?> record, int room) {
    for (SubjectSource source : placeholder.sources()) {
      Object raw = source.read(record);
      if (raw == null) {
        continue;
      }
      if (raw instanceof String string && string.length() > room) {
        throw tooLong(placeholder.text()); // before encoding a value that cannot fit anyway
      }
      String value = SubjectValueEncoding.encode(raw, source, placeholder.text());
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private String missing(TemplatePart.Placeholder placeholder, ConnectRecord<?> record) {
    if (fallback != null) {
      return fallback.subjectOf(record);
    }
    List<String> sources = new ArrayList<>();
    placeholder.sources().forEach(source -> sources.add(source.text()));
    throw new SubjectDataException(
        "DEK subject template '"
            + text
            + "': placeholder "
            + placeholder.text()
            + " has no value (missing, null or empty: "
            + String.join(", ", sources)
            + ") and the template has no fallback");
  }

  private SubjectDataException tooLong(String part) {
    return new SubjectDataException(
        "DEK subject template '"
            + text
            + "': the subject is longer than "
            + MAX_LENGTH
            + " characters at "
            + part);
  }

  /** The template as written. */
  @Override
  public String toString() {
    return text;
  }
}
