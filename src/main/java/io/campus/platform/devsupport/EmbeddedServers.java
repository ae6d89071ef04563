package io.campus.platform.devsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import redis.embedded.RedisServer;

/**
 * Local stand-ins for PostgreSQL and Redis, for dev mode and tests on a machine that runs neither.
 * Each is started at most once per JVM (remembered in a system property, since dev mode and the
 * test runner load this class in more than one class loader) and stopped at JVM exit.
 */
public final class EmbeddedServers {

  private static final String PG_PORT = "campus-devsupport.postgres-port";
  private static final String REDIS_PORT = "campus-devsupport.redis-port";

  private EmbeddedServers() {}

  /** Whether something accepts TCP connections at the host and port of a URL. */
  public static boolean answers(String url, int defaultPort) {
    URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
    String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Creates the database a PostgreSQL URL names unless it exists. Nothing else on the server is
   * touched.
   */
  public static void ensureDatabase(String url, String user) {
    URI uri = URI.create(url.replaceFirst("^jdbc:", ""));
    String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String name = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      return; // not a plain name: leave it to the configuration's owner
    }
    String maintenance = "jdbc:postgresql://" + host + ":" + port + "/postgres";
    try (Connection connection =
            DriverManager.getConnection(maintenance, user == null ? "postgres" : user, null);
        PreparedStatement exists =
            connection.prepareStatement("select 1 from pg_database where datname = ?")) {
      exists.setString(1, name);
      try (ResultSet rows = exists.executeQuery()) {
        if (!rows.next()) {
          try (Statement create = connection.createStatement()) {
            create.execute("create database " + name);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create database " + name + " at " + url, e);
    }
  }

  /** Starts an embedded PostgreSQL (user postgres, database postgres) and returns its port. */
  public static synchronized int postgres() {
    String known = System.getProperty(PG_PORT);
    if (known != null) {
      return Integer.parseInt(known);
    }
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg)));
      System.setProperty(PG_PORT, Integer.toString(pg.getPort()));
      return pg.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
    }
  }

  /** Starts an embedded Redis on a free port and returns the port. */
  public static synchronized int redis() {
    String known = System.getProperty(REDIS_PORT);
    if (known != null) {
      return Integer.parseInt(known);
    }
    try {
      int port = freePort();
      RedisServer redis = new RedisServer(port);
      redis.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(redis)));
      System.setProperty(REDIS_PORT, Integer.toString(port));
      return port;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded Redis", e);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException ignored) {
      // the JVM is exiting; the temporary data directory goes with it
    }
  }

  private static void stopQuietly(RedisServer redis) {
    try {
      redis.stop();
    } catch (IOException ignored) {
      // the JVM is exiting
    }
  }
}
