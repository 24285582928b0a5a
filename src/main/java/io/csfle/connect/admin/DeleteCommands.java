package io.csfle.connect.admin;

import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekSubject;

/**
 * {@code delete}, {@code undelete}, {@code delete-kek} and {@code undelete-kek}: soft deletes,
 * permanent deletes (crypto-shredding) and their undoing, one line saying what was done.
 */
final class DeleteCommands {
  private final DekStoreAdmin store;
  private final AdminOutput output;

  DeleteCommands(DekStoreAdmin store, AdminOutput output) {
    this.store = store;
    this.output = output;
  }

  void run(AdminCommand command, DekAlgorithm algorithm) {
    switch (command.name()) {
      case "delete" -> {
        DekSubject dek = dekSubject(command, algorithm);
        if (command.version().isPresent()) {
          store.deleteDekVersion(dek, command.version().get(), command.permanent());
        } else {
          store.deleteDek(dek, command.permanent());
        }
        output.line(done(command, "Deleted", describe(command, dek)));
      }
      case "undelete" -> {
        DekSubject dek = dekSubject(command, algorithm);
        if (command.version().isPresent()) {
          store.undeleteDekVersion(dek, command.version().get());
        } else {
          store.undeleteDek(dek);
        }
        output.line(done(command, "Undeleted", describe(command, dek)));
      }
      case "delete-kek" -> {
        store.deleteKek(kekName(command), command.permanent());
        output.line(done(command, "Deleted", "KEK '" + kekName(command) + "'"));
      }
      case "undelete-kek" -> {
        store.undeleteKek(kekName(command));
        output.line(done(command, "Undeleted", "KEK '" + kekName(command) + "'"));
      }
      default -> throw new IllegalStateException("not a delete command: " + command.name());
    }
  }

  /** The DEK a command's arguments name: KEK first, then subject. */
  private static DekSubject dekSubject(AdminCommand command, DekAlgorithm algorithm) {
    return new DekSubject(command.arguments().get(0), command.arguments().get(1), algorithm);
  }

  private static String kekName(AdminCommand command) {
    return command.arguments().get(0);
  }

  private static String describe(AdminCommand command, DekSubject dek) {
    return "DEK '"
        + dek.subject()
        + "' "
        + command.version().map(v -> "version " + v).orElse("(every version)")
        + " ("
        + dek.algorithm()
        + ") under KEK '"
        + dek.kekName()
        + "'";
  }

  private static String done(AdminCommand command, String verb, String what) {
    return verb + " " + what + (command.permanent() ? " permanently" : "");
  }
}
