package io.csfle.connect.cdc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code customers} table of the CDC pipeline test: PII columns of every type the issue names,
 * a few clear columns, and rows whose PII values are distinctive enough to be searched for in the
 * broker's log segments. A row is {@code (id, version)}: an update moves a row to a new version, so
 * every value ever written is known and can be searched for afterwards.
 */
final class CustomerRows {
  static final String TABLE = "customers";

  /**
   * Column defaults travel in every record's schema (Debezium puts them there, the JSON converter
   * writes them): the encrypted column's default must not reach the broker in clear, the clear
   * column's default must (proof that the scan would see a default).
   */
  static final String ENCRYPTED_COLUMN_DEFAULT = "NID-UNSET-0000";

  static final String CLEAR_COLUMN_DEFAULT = "segment-unset-clear";

  /** Every PII column, encrypted in {@code before} and {@code after}; the others stay clear. */
  static final List<String> PII_COLUMNS =
      List.of(
          "full_name",
          "email",
          "phone",
          "national_id",
          "salary",
          "account_no",
          "birth_date",
          "last_login",
          "consent_at",
          "customer_ref",
          "photo",
          "profile",
          "aliases");

  /**
   * The source table. {@code REPLICA IDENTITY FULL} makes PostgreSQL log whole old rows, so
   * Debezium's {@code before} carries every column on updates and deletes (and must be encrypted).
   * Timestamps state their precision, 6, PostgreSQL's default: the sink creates them as {@code
   * timestamp(6)}, the same type, which {@code format_type} would print differently otherwise.
   */
  static final String DDL =
      """
      CREATE TABLE customers (
        id bigint PRIMARY KEY,
        full_name text NOT NULL,
        email varchar(254) NOT NULL,
        phone varchar(32),
        national_id varchar(20) DEFAULT 'NID-UNSET-0000',
        salary numeric(14,2),
        account_no bigint,
        birth_date date,
        last_login timestamp(6),
        consent_at timestamptz(6),
        customer_ref uuid,
        photo bytea,
        profile jsonb,
        aliases text[],
        loyalty_points integer NOT NULL,
        vip boolean NOT NULL,
        segment varchar(40) DEFAULT 'segment-unset-clear',
        updated_at timestamptz(6) NOT NULL
      );
      ALTER TABLE customers REPLICA IDENTITY FULL;
      """;

  private static final String INSERT =
      "INSERT INTO customers (id, full_name, email, phone, national_id, salary, account_no,"
          + " birth_date, last_login, consent_at, customer_ref, photo, profile, aliases,"
          + " loyalty_points, vip, segment, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)";

  private static final String UPDATE =
      "UPDATE customers SET full_name = ?, email = ?, phone = ?, national_id = ?, salary = ?,"
          + " account_no = ?, birth_date = ?, last_login = ?, consent_at = ?, customer_ref = ?,"
          + " photo = ?, profile = ?::jsonb, aliases = ?, loyalty_points = ?, vip = ?,"
          + " segment = ?, updated_at = ? WHERE id = ?";

  private CustomerRows() {}

  /** One row's values; {@code phone}, {@code profile} and {@code aliases} may be null. */
  record Customer(
      long id,
      String fullName,
      String email,
      String phone,
      String nationalId,
      BigDecimal salary,
      long accountNo,
      LocalDate birthDate,
      LocalDateTime lastLogin,
      OffsetDateTime consentAt,
      UUID customerRef,
      byte[] photo,
      String favouriteColour,
      List<String> aliases,
      int loyaltyPoints,
      boolean vip,
      String segment,
      OffsetDateTime updatedAt) {

    /** The same customer with phone, profile and aliases set to NULL (an erasure request). */
    Customer withoutContactDetails() {
      return new Customer(
          id,
          fullName,
          email,
          null,
          nationalId,
          salary,
          accountNo,
          birthDate,
          lastLogin,
          consentAt,
          customerRef,
          photo,
          null,
          null,
          loyaltyPoints,
          vip,
          segment,
          updatedAt);
    }

    /**
     * Every byte string a plaintext copy of this row's PII would show in a log segment, in each
     * form a converter or Debezium may write it: UTF-8 text, base64 of bytes, decimal digits of
     * epoch micros, ISO text of dates and instants, the unscaled bytes of the decimal. All are at
     * least 8 bytes, so a match in random ciphertext is not plausible. (A date's epoch-day number
     * is too short to search for; its ISO text is searched.)
     */
    Map<String, List<byte[]>> plaintextNeedles() {
      Map<String, List<byte[]>> needles = new LinkedHashMap<>();
      add(needles, "full_name", fullName);
      add(needles, "email", email);
      add(needles, "phone", phone);
      add(needles, "national_id", nationalId);
      add(needles, "salary", salary.toPlainString());
      add(
          needles,
          "salary",
          Base64.getEncoder().encodeToString(salary.unscaledValue().toByteArray()));
      add(needles, "account_no", Long.toString(accountNo));
      add(needles, "birth_date", birthDate.toString());
      add(needles, "last_login", Long.toString(micros(lastLogin.toInstant(ZoneOffset.UTC))));
      add(needles, "last_login", lastLogin.toString());
      add(needles, "consent_at", DateTimeFormatter.ISO_INSTANT.format(consentAt.toInstant()));
      add(needles, "consent_at", Long.toString(micros(consentAt.toInstant())));
      add(needles, "customer_ref", customerRef.toString());
      add(needles, "photo", Base64.getEncoder().encodeToString(photo));
      needles.get("photo").add(photo.clone());
      add(needles, "profile", favouriteColour);
      add(needles, "aliases", null);
      if (aliases != null) {
        aliases.forEach(alias -> add(needles, "aliases", alias));
      }
      needles.forEach(
          (column, forms) ->
              forms.forEach(
                  n -> {
                    if (n.length < 8) {
                      throw new IllegalStateException(column + " needle too short to search for");
                    }
                  }));
      return needles;
    }

    /** Adds the UTF-8 of a non-null {@code text} under {@code column}. */
    private static void add(Map<String, List<byte[]>> needles, String column, String text) {
      List<byte[]> forms = needles.computeIfAbsent(column, c -> new ArrayList<>());
      if (text != null) {
        forms.add(text.getBytes(UTF_8));
      }
    }

    /** A clear value that must be found in the segments: proof that the scan reads records. */
    byte[] clearNeedle() {
      return segment.getBytes(UTF_8);
    }
  }

  /** Customer {@code id} at {@code version} (0 when inserted, +1 per update). */
  static Customer customer(long id, int version) {
    String tag = id + "x" + version;
    return new Customer(
        id,
        "Zofia Quellenberg-" + tag,
        "zofia.quellenberg." + tag + "@mail.example",
        "+44 7700 9" + String.format("%05d", id * 100 + version),
        "QX" + String.format("%08d", 31_000_000 + id * 1000 + version) + "C",
        new BigDecimal("1234567890.12").add(BigDecimal.valueOf(id * 1000 + version, 2)),
        4_929_100_000_000_000L + id * 1_000_003L + version,
        LocalDate.of(1961, 1, 3).plusDays(id * 400 + version),
        LocalDateTime.of(2024, 5, 6, 7, 8, 9, 123_456_000).plusDays(id).plusMinutes(version),
        OffsetDateTime.of(2023, 2, 3, 4, 5, 6, 654_321_000, ZoneOffset.ofHours(2))
            .plusDays(id)
            .plusMinutes(version),
        UUID.nameUUIDFromBytes(("customer-ref-" + tag).getBytes(UTF_8)),
        photo(tag),
        "cerulean-sky-" + tag,
        List.of("Zo-" + tag + "-nick", "Queenie Q " + tag),
        (int) (100 * id + version),
        id % 2 == 0,
        "segment-gold-" + tag,
        OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusHours(id * 10 + version));
  }

  /** A JPEG-like header, the tag, and bytes that are not UTF-8. */
  private static byte[] photo(String tag) {
    byte[] text = ("PHOTO-" + tag).getBytes(UTF_8);
    return ByteBuffer.allocate(4 + text.length + 3)
        .put(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0})
        .put(text)
        .put(new byte[] {0, (byte) 0x80, (byte) 0xFE})
        .array();
  }

  static void insert(Connection db, Customer c) throws SQLException {
    try (PreparedStatement insert = db.prepareStatement(INSERT)) {
      insert.setLong(1, c.id());
      bindColumns(db, insert, 2, c);
      insert.executeUpdate();
    }
  }

  static void update(Connection db, Customer c) throws SQLException {
    try (PreparedStatement update = db.prepareStatement(UPDATE)) {
      int next = bindColumns(db, update, 1, c);
      update.setLong(next, c.id());
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("no customer " + c.id());
      }
    }
  }

  static void delete(Connection db, long id) throws SQLException {
    try (PreparedStatement delete = db.prepareStatement("DELETE FROM customers WHERE id = ?")) {
      delete.setLong(1, id);
      if (delete.executeUpdate() != 1) {
        throw new IllegalStateException("no customer " + id);
      }
    }
  }

  /** Binds every column but {@code id} from {@code first} on; returns the next index. */
  private static int bindColumns(Connection db, PreparedStatement s, int first, Customer c)
      throws SQLException {
    int i = first;
    s.setString(i++, c.fullName());
    s.setString(i++, c.email());
    s.setString(i++, c.phone());
    s.setString(i++, c.nationalId());
    s.setBigDecimal(i++, c.salary());
    s.setLong(i++, c.accountNo());
    s.setObject(i++, c.birthDate());
    s.setObject(i++, c.lastLogin());
    s.setObject(i++, c.consentAt());
    s.setObject(i++, c.customerRef());
    s.setBytes(i++, c.photo());
    if (c.favouriteColour() == null) {
      s.setNull(i++, Types.VARCHAR);
    } else {
      s.setString(
          i++, "{\"favourite_colour\": \"" + c.favouriteColour() + "\", \"newsletter\": true}");
    }
    if (c.aliases() == null) {
      s.setNull(i++, Types.ARRAY);
    } else {
      s.setArray(i++, db.createArrayOf("text", c.aliases().toArray()));
    }
    s.setInt(i++, c.loyaltyPoints());
    s.setBoolean(i++, c.vip());
    s.setString(i++, c.segment());
    s.setObject(i++, c.updatedAt());
    return i;
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }
}
