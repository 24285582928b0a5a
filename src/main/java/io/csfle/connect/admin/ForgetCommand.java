package io.csfle.connect.admin;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.EntityKeys;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekSubject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * {@code forget}: crypto-shredding of one entity. Every version of the entity's DEK subject, in
 * every algorithm, under the configured KEK and under its entity-key KEK ({@code <kek>-entities})
 * when that exists, is soft-deleted and then permanently deleted (on the key topic: tombstones,
 * which compaction turns into nothing). Prints an audit record of what was destroyed, when and
 * where; never key material.
 *
 * <p>A pattern that matches more than one subject is refused unless {@code --all-matching} is
 * given, and the refusal gives only the count: subject names such as {@code customer-42} identify
 * people, and a mistyped pattern should not print a list of them. Nothing to destroy is a failure
 * (exit 1): an audit trail must not record a destruction that did not happen. When the store fails
 * part way, the record lists what was destroyed before the failure, and the exit status is 1.
 */
final class ForgetCommand {
  /** Subjects named as a topic's DEK or as the parent of a topic's entity keys. */
  private static final Pattern TOPIC_WIDE = Pattern.compile(".*-(value|key|headers|entities)");

  /** The suffix of the KEK that holds a subject's entity keys (see docs/entity-keys.md). */
  static final String ENTITY_KEK_SUFFIX = EntityKeys.KEK_SUFFIX;

  private final DekStoreAdmin store;
  private final AdminOutput output;
  private final String storeDescription;
  private final LongSupplier clock;

  ForgetCommand(
      DekStoreAdmin store, AdminOutput output, String storeDescription, LongSupplier clock) {
    this.store = store;
    this.output = output;
    this.storeDescription = storeDescription;
    this.clock = clock;
  }

  /**
   * A pattern forgets entities, never a topic: a subject under the KEK itself that is named like a
   * topic's DEK ({@code <topic>-value}, {@code -key}, {@code -headers}) or like the parent of a
   * topic's entity keys ({@code <topic>-entities}) is refused, with its name (it names a topic, not
   * a person). Destroying a parent destroys every entity key under it. Such a subject can still be
   * forgotten by its exact name.
   */
  private void refuseTopicWide(String pattern, Pattern glob, String kekName) {
    List<String> topicWide =
        store.listDekSubjects(kekName, true).stream()
            .filter(s -> glob.matcher(s).matches() && TOPIC_WIDE.matcher(s).matches())
            .sorted()
            .toList();
    if (!topicWide.isEmpty()) {
      throw new AdminRefusal(
          "forget --pattern '"
              + pattern
              + "' matches topic-wide DEK subjects of KEK '"
              + kekName
              + "' ("
              + String.join(", ", topicWide)
              + "); nothing was destroyed. A pattern forgets entities only: narrow it, or name"
              + " a topic-wide subject on its own to destroy that topic's keys");
    }
  }

  /** One subject's DEKs of one algorithm under one KEK, and the versions destroyed. */
  private record Destroyed(DekSubject dek, List<Integer> versions) {}

  /**
   * @param subjectOrPattern a subject, or with {@code pattern} a glob ({@code *} any characters,
   *     {@code ?} one)
   * @throws AdminRefusal when a pattern matches several subjects without {@code allMatching}
   * @throws IllegalStateException when there is nothing to forget
   */
  void forget(String kekName, String subjectOrPattern, boolean pattern, boolean allMatching) {
    List<String> keks = keksOf(kekName);
    TreeSet<String> subjects = new TreeSet<>();
    if (pattern) {
      Pattern glob = glob(subjectOrPattern);
      for (String kek : keks) {
        store.listDekSubjects(kek, true).stream()
            .filter(s -> glob.matcher(s).matches())
            .forEach(subjects::add);
      }
      refuseTopicWide(subjectOrPattern, glob, keks.get(0));
      if (subjects.size() > 1 && !allMatching) {
        throw new AdminRefusal(
            "forget --pattern '"
                + subjectOrPattern
                + "' matches "
                + subjects.size()
                + " subjects; nothing was destroyed. Give --all-matching to forget them all, or"
                + " name one subject (the matching names are not printed: they identify people)");
      }
    } else {
      subjects.add(subjectOrPattern);
    }
    // Found in full before anything is destroyed, so that the record lists what existed.
    List<Destroyed> targets = new ArrayList<>();
    for (String subject : subjects) {
      for (String kek : keks) {
        for (DekAlgorithm algorithm : DekAlgorithm.values()) {
          DekSubject dek = new DekSubject(kek, subject, algorithm);
          List<Integer> versions = store.listDekVersions(dek, true);
          if (!versions.isEmpty()) {
            targets.add(new Destroyed(dek, List.copyOf(versions)));
          }
        }
      }
    }
    if (targets.isEmpty()) {
      throw new IllegalStateException(
          "nothing to forget: "
              + (pattern
                  ? "no subject matches '" + subjectOrPattern + "'"
                  : "subject '" + subjectOrPattern + "' has no DEKs")
              + " under KEK '"
              + String.join("' or '", keks)
              + "'; nothing was destroyed");
    }
    List<Destroyed> done = new ArrayList<>();
    try {
      for (Destroyed target : targets) {
        store.deleteDek(target.dek(), false);
        store.deleteDek(target.dek(), true);
        done.add(target);
      }
    } catch (RuntimeException e) {
      // What was destroyed before the failure is on record too (exit 1 all the same).
      if (!done.isEmpty()) {
        report(done, pattern ? subjectOrPattern : null);
      }
      throw new IllegalStateException(
          "destroyed "
              + done.size()
              + " of "
              + targets.size()
              + " DEK subjects, then: "
              + e.getMessage(),
          e);
    }
    report(done, pattern ? subjectOrPattern : null);
  }

  /** The configured KEK and, when it exists, its entity-key KEK. */
  private List<String> keksOf(String kekName) {
    String entities = kekName + ENTITY_KEK_SUFFIX;
    return store.getKek(entities, true).isPresent() ? List.of(kekName, entities) : List.of(kekName);
  }

  private void report(List<Destroyed> destroyed, String pattern) {
    String at = Instant.ofEpochMilli(clock.getAsLong()).toString();
    if (output.json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("event", "forget");
      json.put("at", at);
      json.put("store", storeDescription);
      json.put("pattern", pattern);
      List<Map<String, Object>> deks = new ArrayList<>();
      for (Destroyed d : destroyed) {
        Map<String, Object> dek = new LinkedHashMap<>();
        dek.put("kekName", d.dek().kekName());
        dek.put("subject", d.dek().subject());
        dek.put("algorithm", d.dek().algorithm().name());
        dek.put("versions", d.versions());
        deks.add(dek);
      }
      json.put("destroyed", deks);
      output.document(json);
      return;
    }
    for (Destroyed d : destroyed) {
      output.line(
          "Forgot DEK '"
              + d.dek().subject()
              + "' versions "
              + d.versions()
              + " ("
              + d.dek().algorithm()
              + ") under KEK '"
              + d.dek().kekName()
              + "' at "
              + at
              + " on the "
              + storeDescription);
    }
  }

  /** A glob as a regular expression: {@code *} and {@code ?} are wildcards, all else literal. */
  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
