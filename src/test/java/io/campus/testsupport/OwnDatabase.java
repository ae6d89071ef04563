package io.campus.testsupport;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * A database of the test run's own on a PostgreSQL server that may hold other people's databases:
 * created with a unique name, dropped when the run ends (or at JVM exit, whichever comes first).
 * With it comes a login role of the run's own for the service's requests (see {@link #appRole()}),
 * dropped with the database. Nothing else on the server is read, cleaned or dropped; the shared
 * group role the migrations grant to ({@link #APP_PRIVILEGES}) is created when missing and kept.
 */
public final class OwnDatabase implements AutoCloseable {

  /** Every database the tests create starts with this; the README says so. */
  public static final String PREFIX = "campus_test_";

  /** Login roles of test runs start with this. */
  public static final String ROLE_PREFIX = "campus_test_app_";

  /** The group role V7 grants the application's privileges to (cluster-wide, never dropped). */
  public static final String APP_PRIVILEGES = "campus_app_privileges";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

  private final String host;
  private final int port;
  private final String user;
  private final String name;
  private final String appRole;
  private final Thread hook;
  private boolean dropped;

  private OwnDatabase(String host, int port, String user, String name) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.name = name;
    this.appRole = ROLE_PREFIX + name.substring(PREFIX.length());
    this.hook = new Thread(this::dropQuietly, "drop-" + name);
  }

  /**
   * Creates a uniquely named database on the server of {@code serverJdbcUrl} (whatever database
   * that URL names is only used to find the server).
   */
  public static OwnDatabase create(String serverJdbcUrl, String user) {
    URI uri = URI.create(serverJdbcUrl.replaceFirst("^jdbc:", ""));
    String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String name =
        PREFIX
            + LocalDateTime.now().format(STAMP)
            + "_"
            + UUID.randomUUID().toString().substring(0, 8);
    OwnDatabase db = new OwnDatabase(host, port, user, name);
    db.execute("create database " + name);
    Runtime.getRuntime().addShutdownHook(db.hook);
    // The service's requests run as a member of the group the migrations grant to, never as the
    // owner. Concurrent runs may create the group at the same moment: whoever loses finds it.
    db.execute(
        "do $$ begin if not exists (select from pg_roles where rolname = '"
            + APP_PRIVILEGES
            + "') then create role "
            + APP_PRIVILEGES
            + " nologin; end if; exception when duplicate_object or unique_violation then null;"
            + " end $$");
    db.execute("create role " + db.appRole + " login in role " + APP_PRIVILEGES);
    return db;
  }

  public String name() {
    return name;
  }

  /** The run's login role: no DDL, privileges only through {@link #APP_PRIVILEGES}. */
  public String appRole() {
    return appRole;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + name;
  }

  private void execute(String sql) {
    // The maintenance database only serves to issue CREATE/DROP DATABASE.
    String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
    try (Connection connection = DriverManager.getConnection(url, user, null);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + host + ":" + port, e);
    }
  }

  private synchronized void dropQuietly() {
    if (dropped) {
      return;
    }
    try {
      // FORCE ends the connections the service's pools may still hold.
      execute("drop database if exists " + name + " with (force)");
      // Its privileges lived in the database just dropped; nothing else refers to it.
      execute("drop role if exists " + appRole);
      dropped = true;
    } catch (RuntimeException e) {
      System.err.println("Could not drop test database " + name + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    dropQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // the JVM is already exiting; the hook runs (and finds the database gone)
    }
  }
}
