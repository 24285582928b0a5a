package io.csfle.connect.admin;

import io.csfle.connect.config.DekStoreSettings;
import io.csfle.connect.crypto.DekAlgorithm;
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
import java.util.function.LongSupplier;

/**
 * Key operations on the DEK store the transforms use, from a shell: the embedded Kafka store has no
 * REST API, and with this tool the same commands work on a DEK registry too. The store and KEK
 * settings are read from a properties file with the transforms' keys ({@code dek.store}, {@code
 * dek.store.bootstrap.servers}, {@code schema.registry.url}, {@code encrypt.kek.name}, {@code
 * kms.*}, ...), so a connector's transform settings can be copied without their prefix.
 *
 * <p>Exit status: 0 done, 1 the operation failed, 2 bad usage. Messages never contain key material;
 * with {@code --json} stdout holds exactly one JSON document and errors still go to stderr.
 */
public final class DekAdmin {
  static final String USAGE =
      """
      Usage: csfle-dek-admin --config FILE COMMAND [ARGS] [OPTIONS]

      FILE holds the transforms' keys without their prefix: dek.store (registry|kafka),
      dek.store.bootstrap.servers and dek.store.client.* or schema.registry.url and its auth;
      encrypt.kek.name, encrypt.kms.type, encrypt.kms.key.id, encrypt.dek.expiry.days and kms.*
      for register and rewrap.

      Commands:
        keks [--deleted]                          KEK names (--json: the KEKs in full)
        subjects KEK [--deleted]                  DEK subjects of a KEK
        versions KEK SUBJECT [--deleted]          DEK versions of a subject (soft-deleted marked)
        delete KEK SUBJECT [--version N] [--permanent]
                                                  soft-delete (or, once soft-deleted, permanently
                                                  delete: crypto-shredding) every version or one
        undelete KEK SUBJECT [--version N]        undo a soft delete
        delete-kek KEK [--permanent]              the same for a KEK (delete its DEKs first)
        undelete-kek KEK
        register SUBJECT [--rotate-expired]       create the KEK of encrypt.kek.name (if absent)
                                                  and the current DEK of SUBJECT before the writers
                                                  do; --rotate-expired also replaces a DEK older
                                                  than encrypt.dek.expiry.days by a new version
        update-kek KEK [--kms-prop KEY=VALUE]... [--remove-kms-prop KEY]... [--doc TEXT]
                   [--shared true|false]          change a KEK's kmsProps (never credentials),
                                                  doc or shared flag; its kmsType and kmsKeyId
                                                  never change
        forget SUBJECT | --pattern GLOB [--all-matching]
                                                  crypto-shred one entity: soft then permanently
                                                  delete every version (all algorithms) of SUBJECT
                                                  under encrypt.kek.name and its -entities KEK;
                                                  prints an audit record. A GLOB (* and ?) that
                                                  matches several subjects is refused (exit 2)
                                                  without --all-matching; nothing to forget exits 1
        rewrap SUBJECT                            re-wrap every version of SUBJECT under the current
                                                  key of encrypt.kek.name (after a KMS key rotation)

      Options:
        --algorithm A     DEK algorithm (default: encrypt.dek.algorithm, else AES256_GCM)
        --json            one JSON document on stdout (keks, subjects, versions, register,
                          update-kek, rewrap, forget); never key material
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final LongSupplier clock;

  DekAdmin(PrintStream out, PrintStream err) {
    this(out, err, System::currentTimeMillis);
  }

  /**
   * @param clock epoch milliseconds, for the age of DEKs ({@code register --rotate-expired})
   */
  DekAdmin(PrintStream out, PrintStream err, LongSupplier clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs one command as {@link #main} does, without exiting: for scripts on the JVM that embed the
   * tool (an erasure workflow calling {@code forget}, say).
   *
   * @return the exit status
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new DekAdmin(out, err).run(args);
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
    String refusal = refusal(command, settings);
    if (refusal != null) {
      err.println(refusal);
      return 2;
    }
    try (DekStoreAdmin store = settings.open()) {
      execute(command, settings, store);
      return 0;
    } catch (AdminRefusal e) {
      err.println(e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println(command.name() + " failed on the " + settings.describe() + ": " + e.getMessage());
      return 1;
    }
  }

  /** Why the settings do not allow the command, found before the store is opened; else null. */
  private static String refusal(AdminCommand command, DekStoreSettings settings) {
    if (command.rotateExpired() && settings.expiryDays() == 0) {
      return "register --rotate-expired needs encrypt.dek.expiry.days > 0 in "
          + command.configFile()
          + ": with 0 (the default) writers encrypt with version 1 for ever, so no DEK"
          + " expires; register alone creates that version";
    }
    if (command.kekChange().shared().orElse(false) && settings.embeddedStore()) {
      return "update-kek --shared true is refused on the embedded Kafka store: a shared KEK needs"
          + " a registry server to generate and unwrap its DEKs, and the key topic never holds"
          + " plaintext DEKs, so every writer of the KEK would fail";
    }
    return null;
  }

  private void execute(AdminCommand command, DekStoreSettings settings, DekStoreAdmin store) {
    DekAlgorithm algorithm = command.algorithm().orElse(settings.algorithm());
    List<String> args = command.arguments();
    AdminOutput output = new AdminOutput(out, command.json());
    ListCommands listings = new ListCommands(store, output);
    KeyCommands keys = new KeyCommands(settings, store, output, clock);
    switch (command.name()) {
      case "keks" -> listings.keks(command.deleted());
      case "subjects" -> listings.subjects(args.get(0), command.deleted());
      case "versions" ->
          listings.versions(new DekSubject(args.get(0), args.get(1), algorithm), command.deleted());
      case "delete", "undelete", "delete-kek", "undelete-kek" ->
          new DeleteCommands(store, output).run(command, algorithm);
      case "register" -> keys.register(args.get(0), algorithm, command.rotateExpired());
      case "update-kek" -> new KekUpdate(store, output).update(args.get(0), command.kekChange());
      case "rewrap" -> keys.rewrap(args.get(0), algorithm);
      case "forget" ->
          new ForgetCommand(store, output, settings.describe(), clock)
              .forget(kekName(settings), args.get(0), command.pattern(), command.allMatching());
      default -> throw new IllegalStateException("unknown command " + command.name());
    }
  }

  /** {@code encrypt.kek.name}: forget needs the name only, not the KMS credentials. */
  private static String kekName(DekStoreSettings settings) {
    return settings
        .kekName()
        .orElseThrow(() -> new IllegalStateException("forget needs encrypt.kek.name"));
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
