package io.csfle.connect.cdc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One embedded PostgreSQL server (binaries from Maven, no install step) with logical decoding on,
 * holding the pipeline's source and target databases. Rows and column types are read back as
 * PostgreSQL prints them, so "equal" means equal in the database's own terms.
 */
final class CdcDatabases implements AutoCloseable {
  static final String USER = "postgres";

  private final EmbeddedPostgres server;

  private CdcDatabases(EmbeddedPostgres server) {
    this.server = server;
  }

  static CdcDatabases start() throws IOException {
    return new CdcDatabases(
        EmbeddedPostgres.builder()
            .setServerConfig("wal_level", "logical")
            .setServerConfig("max_wal_senders", "4")
            .setServerConfig("max_replication_slots", "4")
            .start());
  }

  int port() {
    return server.getPort();
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  void createDatabase(String name) throws SQLException {
    try (Connection admin = server.getPostgresDatabase().getConnection();
        Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  Connection connect(String database) throws SQLException {
    Connection connection = server.getDatabase(USER, database).getConnection();
    connection.setAutoCommit(true);
    return connection;
  }

  void execute(String database, String sql) throws SQLException {
    try (Connection db = connect(database);
        Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  /** Every row of {@code table} ordered by {@code id}, each column as PostgreSQL's text. */
  List<Map<String, String>> rows(String database, String table) throws SQLException {
    List<String> columns = new ArrayList<>(columnTypes(database, table).keySet());
    if (columns.isEmpty()) {
      return List.of();
    }
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      select.append(i == 0 ? "" : ", ").append(columns.get(i)).append("::text");
    }
    select.append(" FROM ").append(table).append(" ORDER BY id");
    List<Map<String, String>> rows = new ArrayList<>();
    try (Connection db = connect(database);
        Statement s = db.createStatement()) {
      // One session time zone for both databases: timestamptz prints in it.
      s.execute("SET TIME ZONE 'UTC'");
      try (ResultSet rs = s.executeQuery(select.toString())) {
        while (rs.next()) {
          Map<String, String> row = new TreeMap<>();
          for (int i = 0; i < columns.size(); i++) {
            row.put(columns.get(i), rs.getString(i + 1));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /**
   * Column name to its full type as PostgreSQL states it ({@code format_type}: length, precision,
   * scale, array-ness) and nullability; empty when the table does not exist.
   */
  Map<String, String> columnTypes(String database, String table) throws SQLException {
    String sql =
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull"
            + " FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid"
            + " JOIN pg_namespace n ON c.relnamespace = n.oid"
            + " WHERE n.nspname = 'public' AND c.relname = '"
            + table
            + "' AND a.attnum > 0 AND NOT a.attisdropped";
    Map<String, String> types = new TreeMap<>();
    try (Connection db = connect(database);
        Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        types.put(rs.getString(1), rs.getString(2) + (rs.getBoolean(3) ? " NOT NULL" : ""));
      }
    }
    return types;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
