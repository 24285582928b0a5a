package io.csfle.connect.admin;

import io.csfle.connect.transforms.DecryptField;
import io.csfle.connect.transforms.EncryptField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Runs {@link DekAdmin} as a shell would, and makes the DEKs it works on, for tests. */
final class AdminCli {
  static final Schema SCHEMA = SchemaBuilder.struct().field("email", Schema.STRING_SCHEMA).build();

  /** Exit status and what the tool printed. */
  record Result(int status, String out, String err) {}

  private AdminCli() {}

  static Result run(String... args) {
    return runAt(System.currentTimeMillis(), args);
  }

  /** As {@link #run} with the tool's clock at {@code epochMillis} (for the age of DEKs). */
  static Result runAt(long epochMillis, String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int status =
        new DekAdmin(
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8),
                () -> epochMillis)
            .run(args);
    return new Result(
        status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
  }

  /** {@code --config FILE} followed by {@code commandLine}. */
  static String[] withConfig(Path config, String... commandLine) {
    String[] args = new String[commandLine.length + 2];
    args[0] = "--config";
    args[1] = config.toString();
    System.arraycopy(commandLine, 0, args, 2, commandLine.length);
    return args;
  }

  /** A properties file of a transform's settings, without {@code fields}. */
  static Path properties(Path dir, Map<String, String> settings) throws IOException {
    Path file = Files.createTempFile(dir, "store", ".properties");
    Files.writeString(
        file,
        settings.entrySet().stream()
            .filter(e -> !e.getKey().equals("fields"))
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n")));
    return file;
  }

  /** Encrypts one record of {@code topic} as a connector would; returns its encrypted value. */
  static Struct encryptOne(Map<String, String> transform, String topic) {
    try (EncryptField<SourceRecord> encrypt = new EncryptField.Value<>()) {
      encrypt.configure(transform);
      Struct value = new Struct(SCHEMA).put("email", "alice@example.com");
      return (Struct) encrypt.apply(new SourceRecord(null, null, topic, 0, SCHEMA, value)).value();
    }
  }

  /** The email of {@code encrypted}, decrypted by a new DecryptField (no cached DEKs). */
  static String decrypt(Map<String, String> transform, String topic, Struct encrypted) {
    try (DecryptField<SourceRecord> decrypt = new DecryptField.Value<>()) {
      decrypt.configure(transform);
      SourceRecord record = new SourceRecord(null, null, topic, 0, encrypted.schema(), encrypted);
      return ((Struct) decrypt.apply(record).value()).getString("email");
    }
  }
}
