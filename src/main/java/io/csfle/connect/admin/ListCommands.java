package io.csfle.connect.admin;

import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekSubject;
import io.csfle.connect.store.RegisteredKek;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code keks}, {@code subjects} and {@code versions}: one name or version a line, or with {@code
 * --json} an array of objects. The JSON of {@code keks} and {@code versions} reads each KEK or DEK
 * version in full (one store call each), without key material.
 */
final class ListCommands {
  private final DekStoreAdmin store;
  private final AdminOutput output;

  ListCommands(DekStoreAdmin store, AdminOutput output) {
    this.store = store;
    this.output = output;
  }

  void keks(boolean deleted) {
    List<String> names = store.listKeks(deleted);
    if (!output.json()) {
      names.forEach(output::line);
      return;
    }
    List<Object> keks = new ArrayList<>();
    for (String name : names) {
      // A KEK deleted since the listing is left out, as a later listing would.
      Optional<RegisteredKek> kek = store.getKek(name, deleted);
      kek.ifPresent(k -> keks.add(AdminJson.kek(k)));
    }
    output.document(keks);
  }

  void subjects(String kekName, boolean deleted) {
    List<String> subjects = store.listDekSubjects(kekName, deleted);
    if (!output.json()) {
      subjects.forEach(output::line);
      return;
    }
    List<Object> json = new ArrayList<>();
    for (String subject : subjects) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("kekName", kekName);
      entry.put("subject", subject);
      json.add(entry);
    }
    output.document(json);
  }

  /** One version a line; with {@code --deleted}, soft-deleted ones are marked. */
  void versions(DekSubject dek, boolean deleted) {
    if (output.json()) {
      List<Object> json = new ArrayList<>();
      for (int version : store.listDekVersions(dek, deleted)) {
        store.getDek(dek, version, deleted).ifPresent(d -> json.add(AdminJson.dek(d)));
      }
      output.document(json);
      return;
    }
    List<Integer> live = store.listDekVersions(dek, false);
    if (!deleted) {
      live.forEach(version -> output.line(Integer.toString(version)));
      return;
    }
    for (int version : store.listDekVersions(dek, true)) {
      output.line(live.contains(version) ? Integer.toString(version) : version + " (deleted)");
    }
  }
}
