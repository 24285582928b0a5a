package io.csfle.connect.admin;

import io.csfle.connect.crypto.DekAlgorithm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed {@link DekAdmin} command line.
 *
 * @param json print one JSON document instead of text (listings, register, update-kek, rewrap)
 * @param rotateExpired {@code register}: replace an expired current DEK by a new version
 * @param kekChange {@code update-kek}: what to change; {@link KekChange#NONE} for other commands
 * @param pattern {@code forget}: the argument is a glob, not a subject
 * @param allMatching {@code forget --pattern}: forget every matching subject, however many
 */
record AdminCommand(
    String name,
    List<String> arguments,
    Path configFile,
    boolean deleted,
    boolean permanent,
    Optional<Integer> version,
    Optional<DekAlgorithm> algorithm,
    boolean json,
    boolean rotateExpired,
    KekChange kekChange,
    boolean pattern,
    boolean allMatching,
    boolean help) {

  /** Positional arguments each command takes. */
  private static final Map<String, Integer> ARITY =
      Map.ofEntries(
          Map.entry("keks", 0),
          Map.entry("subjects", 1),
          Map.entry("versions", 2),
          Map.entry("delete", 2),
          Map.entry("undelete", 2),
          Map.entry("delete-kek", 1),
          Map.entry("undelete-kek", 1),
          Map.entry("rewrap", 1),
          Map.entry("register", 1),
          Map.entry("update-kek", 1),
          Map.entry("forget", 1));

  /** Commands that can print JSON: the listings and those that print what they made. */
  private static final Set<String> JSON_COMMANDS =
      Set.of("keks", "subjects", "versions", "register", "update-kek", "rewrap", "forget");

  private static final String FIXED_KMS_KEY =
      "update-kek cannot change a KEK's kmsType or kmsKeyId: every DEK wrapped under the KEK needs"
          + " its KMS key to unwrap. Rotate the key inside the KMS and run rewrap, or create a new"
          + " KEK (another encrypt.kek.name) and re-encrypt the data";

  private static AdminCommand helpCommand() {
    return new AdminCommand(
        "help",
        List.of(),
        null,
        false,
        false,
        Optional.empty(),
        Optional.empty(),
        false,
        false,
        KekChange.NONE,
        false,
        false,
        true);
  }

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException saying what is wrong with them
   */
  static AdminCommand parse(String[] args) {
    List<String> positional = new ArrayList<>();
    Path config = null;
    boolean deleted = false;
    boolean permanent = false;
    boolean json = false;
    boolean rotateExpired = false;
    boolean pattern = false;
    boolean allMatching = false;
    Integer version = null;
    DekAlgorithm algorithm = null;
    KekChange.Builder kekChange = new KekChange.Builder();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-h", "--help" -> {
          return helpCommand();
        }
        case "--config" -> config = Path.of(valueOf(args, ++i, arg));
        case "--deleted" -> deleted = true;
        case "--permanent" -> permanent = true;
        case "--json" -> json = true;
        case "--rotate-expired" -> rotateExpired = true;
        case "--pattern" -> pattern = true;
        case "--all-matching" -> allMatching = true;
        case "--version" -> version = versionOf(valueOf(args, ++i, arg));
        case "--algorithm" -> algorithm = algorithmOf(valueOf(args, ++i, arg));
        case "--kms-prop" -> kekChange.setProp(valueOf(args, ++i, arg));
        case "--remove-kms-prop" -> kekChange.removeProp(valueOf(args, ++i, arg));
        case "--doc" -> kekChange.doc(valueOf(args, ++i, arg));
        case "--shared" -> kekChange.shared(valueOf(args, ++i, arg));
        case "--kms-type", "--kms-key-id" -> throw new IllegalArgumentException(FIXED_KMS_KEY);
        default -> {
          if (arg.startsWith("--")) {
            throw new IllegalArgumentException("Unknown option " + arg);
          }
          positional.add(arg);
        }
      }
    }
    String name = commandOf(positional);
    List<String> arguments = List.copyOf(positional.subList(1, positional.size()));
    if (config == null) {
      throw new IllegalArgumentException("--config FILE is required");
    }
    checkOptionsApply(name, version != null, permanent, json, rotateExpired, kekChange.used());
    requireOnly(pattern, "--pattern", name, "forget");
    requireOnly(allMatching, "--all-matching", name, "forget");
    if (allMatching && !pattern) {
      throw new IllegalArgumentException("--all-matching only applies with --pattern");
    }
    return new AdminCommand(
        name,
        arguments,
        config,
        deleted,
        permanent,
        Optional.ofNullable(version),
        Optional.ofNullable(algorithm),
        json,
        rotateExpired,
        kekChange.build(),
        pattern,
        allMatching,
        false);
  }

  /** The command named first, checked against the number of arguments that follow it. */
  private static String commandOf(List<String> positional) {
    if (positional.isEmpty()) {
      throw new IllegalArgumentException("No command given");
    }
    String name = positional.get(0);
    Integer arity = ARITY.get(name);
    if (arity == null) {
      throw new IllegalArgumentException("Unknown command " + name);
    }
    int given = positional.size() - 1;
    if (given != arity) {
      throw new IllegalArgumentException(name + " takes " + arity + " argument(s), got " + given);
    }
    return name;
  }

  /** Refuses an option given to a command it does not apply to, or update-kek without a change. */
  private static void checkOptionsApply(
      String name,
      boolean version,
      boolean permanent,
      boolean json,
      boolean rotateExpired,
      boolean kekChange) {
    requireOnly(version, "--version", name, "delete", "undelete");
    requireOnly(permanent, "--permanent", name, "delete", "delete-kek");
    requireOnly(json, "--json", name, JSON_COMMANDS.toArray(String[]::new));
    requireOnly(rotateExpired, "--rotate-expired", name, "register");
    requireOnly(kekChange, "--kms-prop, --remove-kms-prop, --doc and --shared", name, "update-kek");
    if (name.equals("update-kek") && !kekChange) {
      throw new IllegalArgumentException(
          "update-kek needs --kms-prop, --remove-kms-prop, --doc or --shared");
    }
  }

  private static void requireOnly(boolean given, String option, String name, String... commands) {
    if (given && !List.of(commands).contains(name)) {
      throw new IllegalArgumentException(
          option
              + " only applies to "
              + String.join(", ", List.of(commands).stream().sorted().toList()));
    }
  }

  private static String valueOf(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int versionOf(String value) {
    try {
      int version = Integer.parseInt(value);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--version must be a whole number >= 1, got " + value);
  }

  private static DekAlgorithm algorithmOf(String value) {
    try {
      return DekAlgorithm.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--algorithm must be one of " + List.of(DekAlgorithm.values()) + ", got " + value);
    }
  }
}
