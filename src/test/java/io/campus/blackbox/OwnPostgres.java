package io.campus.blackbox;

import io.campus.platform.devsupport.EmbeddedServers;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL server of the test's own, on a free port, that the test may stop, restart and
 * freeze. Uses the machine's PostgreSQL binaries ({@code initdb} and {@code pg_ctl}, run as the
 * {@code postgres} user when the test runs as root, since PostgreSQL refuses root) when they exist,
 * and the embedded PostgreSQL on the test class path otherwise (or with {@code
 * -Dcampus.blackbox.embedded-pg=true}). The machine's own server is never touched.
 *
 * <p>The data directory lives under the system temporary directory, owned by the user the server
 * runs as: a checkout may sit in a folder only its owner can enter (a home directory, {@code mktemp
 * -d}). It is removed on {@link #close()}; the server log is copied to {@code target/blackbox}
 * first.
 */
public final class OwnPostgres implements AutoCloseable {

  private static final List<String> BIN_DIRS =
      List.of(
          System.getProperty("campus.blackbox.pg-bin", ""),
          "/usr/lib/postgresql/17/bin",
          "/usr/lib/postgresql/16/bin",
          "/usr/lib/postgresql/15/bin",
          "/usr/lib/postgresql/14/bin");

  private final Path work;
  private final Path logs;
  private final Path data;
  private final int port;
  private final Path bin;
  private EmbeddedPostgres embedded;
  private volatile boolean frozen;

  private OwnPostgres(Path work, Path logs, int port, Path bin) {
    this.work = work;
    this.logs = logs;
    this.data = work.resolve("data");
    this.port = port;
    this.bin = bin;
  }

  public static OwnPostgres start(String name) {
    try {
      Path logs = OsProcesses.workDirectory("pg-" + name);
      Path work = OsProcesses.sharedTempDirectory("campus-pg-" + name);
      Path bin = null;
      if (!Boolean.getBoolean("campus.blackbox.embedded-pg")) {
        for (String dir : BIN_DIRS) {
          if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
            bin = Path.of(dir);
            break;
          }
        }
      }
      OwnPostgres pg = new OwnPostgres(work, logs, EmbeddedServers.freePort(), bin);
      pg.init();
      pg.start();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String describe() {
    return bin != null ? "PostgreSQL from " + bin : "embedded PostgreSQL";
  }

  private void init() throws IOException {
    if (bin == null) {
      return; // the embedded server runs initdb itself on first start
    }
    Files.createDirectories(data);
    if (OsProcesses.isRoot()) {
      OsProcesses.run(List.of("chown", "-R", "postgres", work.toString()), Duration.ofSeconds(10));
      OsProcesses.run(List.of("chmod", "700", work.toString()), Duration.ofSeconds(10));
    }
    asOwner(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync"),
        Duration.ofSeconds(60));
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public String reactiveUrl() {
    return "postgresql://127.0.0.1:" + port + "/postgres";
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), "postgres", "");
  }

  /** Starts (or restarts after {@link #stopFast()}) on the same port and data directory. */
  public synchronized void start() {
    if (bin == null) {
      try {
        embedded =
            EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data.toFile())
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    asOwner(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            work.resolve("postgres.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p "
                + port
                + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                + work
                + " -c max_connections=100",
            "start"),
        Duration.ofSeconds(90));
  }

  /** Fast shutdown: sessions are disconnected at once, committed work is kept. */
  public synchronized void stopFast() {
    if (frozen) {
      thaw();
    }
    if (bin == null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    asOwner(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "stop"),
        Duration.ofSeconds(90));
  }

  /** SIGSTOP to the postmaster and every backend: connections stay open, nothing answers. */
  public synchronized void freeze() {
    OsProcesses.signal("STOP", OsProcesses.tree(postmasterPid()));
    frozen = true;
  }

  public synchronized void thaw() {
    List<Long> pids = new ArrayList<>(OsProcesses.tree(postmasterPid()));
    java.util.Collections.reverse(pids);
    OsProcesses.signal("CONT", pids);
    frozen = false;
  }

  public long postmasterPid() {
    try {
      return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean running() {
    return Files.exists(data.resolve("postmaster.pid")) && OsProcesses.listening(port);
  }

  private static void asOwnerCommand(List<String> command, List<String> into) {
    if (OsProcesses.isRoot()) {
      into.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    into.addAll(command);
  }

  private void asOwner(List<String> command, Duration timeout) {
    List<String> full = new ArrayList<>();
    asOwnerCommand(command, full);
    // The server's user may not enter the directory the tests run from.
    OsProcesses.run(full, work, timeout);
  }

  /** The directory holding the data directory and the server log while the server exists. */
  public Path workDirectory() {
    return work;
  }

  @Override
  public synchronized void close() {
    try {
      if (frozen) {
        thaw();
      }
      if (running()) {
        stopFast();
      }
    } catch (RuntimeException e) {
      try {
        OsProcesses.signal("KILL", List.of(postmasterPid()));
      } catch (RuntimeException ignored) {
        // already gone
      }
    } finally {
      Path log = work.resolve("postgres.log");
      try {
        if (Files.exists(log)) {
          Files.copy(log, logs.resolve("postgres.log"), StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException ignored) {
        // the log is a convenience; the directory still goes
      }
      OsProcesses.deleteTree(work);
    }
  }
}
