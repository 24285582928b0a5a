package io.csfle.connect.admin;

import io.csfle.connect.config.DekStoreSettings;
import io.csfle.connect.crypto.DekAlgorithm;
import io.csfle.connect.dek.DekRewrapper;
import io.csfle.connect.dek.KekSettings;
import io.csfle.connect.kms.KekProviders;
import io.csfle.connect.store.DekStoreAdmin;
import io.csfle.connect.store.DekSubject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Key operations on the DEK store the transforms use, from a shell: the embedded Kafka store has no
 * REST API, and with this tool the same commands work on a DEK registry too. The store and KEK
 * settings are read from a properties file with the transforms' keys ({@code dek.store}, {@code
 * dek.store.bootstrap.servers}, {@code schema.registry.url}, {@code encrypt.kek.name}, {@code
 * kms.*}, ...), so a connector's transform settings can be copied without their prefix.
 *
 * <p>Exit status: 0 done, 1 the operation failed, 2 bad usage. Messages never contain key material.
 */
public final class DekAdmin {
  static final String USAGE =
      """
      Usage: csfle-dek-admin --config FILE COMMAND [ARGS] [OPTIONS]

      FILE holds the transforms' keys without their prefix: dek.store (registry|kafka),
      dek.store.bootstrap.servers and dek.store.client.* or schema.registry.url and its auth;
      encrypt.kek.name and kms.* for rewrap.

      Commands:
        keks [--deleted]                          KEK names
        subjects KEK [--deleted]                  DEK subjects of a KEK
        versions KEK SUBJECT [--deleted]          DEK versions of a subject (soft-deleted marked)
        delete KEK SUBJECT [--version N] [--permanent]
                                                  soft-delete (or, once soft-deleted, permanently
                                                  delete: crypto-shredding) every version or one
        undelete KEK SUBJECT [--version N]        undo a soft delete
        delete-kek KEK [--permanent]              the same for a KEK (delete its DEKs first)
        undelete-kek KEK
        rewrap SUBJECT                            re-wrap every version of SUBJECT under the current
                                                  key of encrypt.kek.name (after a KMS key rotation)

      Options:
        --algorithm A     DEK algorithm (default: encrypt.dek.algorithm, else AES256_GCM)
      """;

  private final PrintStream out;
  private final PrintStream err;

  DekAdmin(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new DekAdmin(System.out, System.err).run(args));
  }

  /** Runs one command; returns the exit status. */
  int run(String[] args) {
    AdminCommand command;
    try {
      command = AdminCommand.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println();
      err.print(USAGE);
      return 2;
    }
    if (command.help()) {
      out.print(USAGE);
      return 0;
    }
    DekStoreSettings settings;
    try {
      settings = DekStoreSettings.parse(load(command.configFile()));
    } catch (IOException | RuntimeException e) {
      err.println("Cannot use " + command.configFile() + ": " + e.getMessage());
      return 2;
    }
    try (DekStoreAdmin store = settings.open()) {
      execute(command, settings, store);
      return 0;
    } catch (RuntimeException e) {
      err.println(command.name() + " failed on the " + settings.describe() + ": " + e.getMessage());
      return 1;
    }
  }

  private void execute(AdminCommand command, DekStoreSettings settings, DekStoreAdmin store) {
    DekAlgorithm algorithm = command.algorithm().orElse(settings.algorithm());
    List<String> args = command.arguments();
    switch (command.name()) {
      case "keks" -> store.listKeks(command.deleted()).forEach(out::println);
      case "subjects" ->
          store.listDekSubjects(args.get(0), command.deleted()).forEach(out::println);
      case "versions" -> printVersions(store, dekSubject(command, algorithm), command.deleted());
      case "delete" -> {
        if (command.version().isPresent()) {
          store.deleteDekVersion(
              dekSubject(command, algorithm), command.version().get(), command.permanent());
        } else {
          store.deleteDek(dekSubject(command, algorithm), command.permanent());
        }
        out.println(done(command, "Deleted", describeDek(command, algorithm)));
      }
      case "undelete" -> {
        if (command.version().isPresent()) {
          store.undeleteDekVersion(dekSubject(command, algorithm), command.version().get());
        } else {
          store.undeleteDek(dekSubject(command, algorithm));
        }
        out.println(done(command, "Undeleted", describeDek(command, algorithm)));
      }
      case "delete-kek" -> {
        store.deleteKek(args.get(0), command.permanent());
        out.println(done(command, "Deleted", "KEK '" + args.get(0) + "'"));
      }
      case "undelete-kek" -> {
        store.undeleteKek(args.get(0));
        out.println(done(command, "Undeleted", "KEK '" + args.get(0) + "'"));
      }
      case "rewrap" -> {
        KekSettings kek =
            settings
                .kek()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "rewrap needs encrypt.kek.name (and its kms.* credentials)"));
        try (DekRewrapper rewrapper = new DekRewrapper(store, KekProviders.standard(), kek)) {
          List<Integer> versions = rewrapper.rewrap(args.get(0), algorithm);
          out.println(
              "Re-wrapped DEK '"
                  + args.get(0)
                  + "' versions "
                  + versions
                  + " under KEK '"
                  + kek.name()
                  + "'");
        }
      }
      default -> throw new IllegalStateException("unknown command " + command.name());
    }
  }

  /** One version a line; with {@code --deleted}, soft-deleted ones are marked. */
  private void printVersions(DekStoreAdmin store, DekSubject dek, boolean deleted) {
    List<Integer> live = store.listDekVersions(dek, false);
    if (!deleted) {
      live.forEach(out::println);
      return;
    }
    for (int version : store.listDekVersions(dek, true)) {
      out.println(live.contains(version) ? Integer.toString(version) : version + " (deleted)");
    }
  }

  /** The DEK a command's arguments name: KEK first, then subject. */
  private static DekSubject dekSubject(AdminCommand command, DekAlgorithm algorithm) {
    return new DekSubject(command.arguments().get(0), command.arguments().get(1), algorithm);
  }

  private static String describeDek(AdminCommand command, DekAlgorithm algorithm) {
    return "DEK '"
        + command.arguments().get(1)
        + "' "
        + command.version().map(v -> "version " + v).orElse("(every version)")
        + " ("
        + algorithm
        + ") under KEK '"
        + command.arguments().get(0)
        + "'";
  }

  private static String done(AdminCommand command, String verb, String what) {
    return verb + " " + what + (command.permanent() ? " permanently" : "");
  }

  private static Map<String, String> load(Path file) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
    return map;
  }
}
