package io.csfle.connect.admin;

import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.RegisteredKek;
import java.util.Map;

/**
 * {@code update-kek}: changes a KEK's kmsProps, doc or shared flag. The KEK is read first and sent
 * back whole with the change applied, because a registry replaces kmsProps as a whole and needs
 * {@code shared} on every update.
 */
final class KekUpdate {
  private final DekStoreAdmin store;
  private final AdminOutput output;

  KekUpdate(DekStoreAdmin store, AdminOutput output) {
    this.store = store;
    this.output = output;
  }

  void update(String name, KekChange change) {
    RegisteredKek current =
        store
            .getKek(name, false)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "KEK '"
                            + name
                            + "' does not exist, or is soft-deleted (undelete-kek it first)"));
    Map<String, String> kmsProps = change.kmsPropsOf(current);
    String doc = change.doc().orElse(current.doc());
    boolean shared = change.shared().orElse(current.shared());
    RegisteredKek updated = store.updateKek(name, kmsProps, doc, shared);
    if (output.json()) {
      output.document(AdminJson.kek(updated));
      return;
    }
    output.line(
        "Updated "
            + AdminText.kek(updated)
            + ": kmsProps "
            + AdminJson.printableProps(updated.kmsProps())
            + ", doc "
            + (updated.doc() == null ? "(none)" : "'" + updated.doc() + "'")
            + ", shared "
            + updated.shared());
  }
}
