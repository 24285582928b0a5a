package io.csfle.connect.admin;

import io.csfle.connect.crypto.DekAlgorithm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A parsed {@link DekAdmin} command line. */
record AdminCommand(
    String name,
    List<String> arguments,
    Path configFile,
    boolean deleted,
    boolean permanent,
    Optional<Integer> version,
    Optional<DekAlgorithm> algorithm,
    boolean help) {

  /** Positional arguments each command takes. */
  private static final Map<String, Integer> ARITY =
      Map.of(
          "keks", 0,
          "subjects", 1,
          "versions", 2,
          "delete", 2,
          "undelete", 2,
          "delete-kek", 1,
          "undelete-kek", 1,
          "rewrap", 1);

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
    Integer version = null;
    DekAlgorithm algorithm = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-h", "--help" -> {
          return new AdminCommand(
              "help", List.of(), null, false, false, Optional.empty(), Optional.empty(), true);
        }
        case "--config" -> config = Path.of(valueOf(args, ++i, arg));
        case "--deleted" -> deleted = true;
        case "--permanent" -> permanent = true;
        case "--version" -> version = versionOf(valueOf(args, ++i, arg));
        case "--algorithm" -> algorithm = algorithmOf(valueOf(args, ++i, arg));
        default -> {
          if (arg.startsWith("--")) {
            throw new IllegalArgumentException("Unknown option " + arg);
          }
          positional.add(arg);
        }
      }
    }
    if (positional.isEmpty()) {
      throw new IllegalArgumentException("No command given");
    }
    String name = positional.get(0);
    Integer arity = ARITY.get(name);
    if (arity == null) {
      throw new IllegalArgumentException("Unknown command " + name);
    }
    List<String> arguments = List.copyOf(positional.subList(1, positional.size()));
    if (arguments.size() != arity) {
      throw new IllegalArgumentException(
          name + " takes " + arity + " argument(s), got " + arguments.size());
    }
    if (config == null) {
      throw new IllegalArgumentException("--config FILE is required");
    }
    if (version != null && !name.equals("delete") && !name.equals("undelete")) {
      throw new IllegalArgumentException("--version only applies to delete and undelete");
    }
    if (permanent && !name.equals("delete") && !name.equals("delete-kek")) {
      throw new IllegalArgumentException("--permanent only applies to delete and delete-kek");
    }
    return new AdminCommand(
        name,
        arguments,
        config,
        deleted,
        permanent,
        Optional.ofNullable(version),
        Optional.ofNullable(algorithm),
        false);
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
