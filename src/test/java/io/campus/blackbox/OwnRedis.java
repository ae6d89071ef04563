package io.campus.blackbox;

import io.campus.platform.devsupport.EmbeddedServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A Redis server of the test's own on a free port, which the test may kill, restart and freeze.
 * Runs the machine's {@code redis-server} when there is one, otherwise (or with {@code
 * -Dcampus.blackbox.embedded-redis=true}) the binary that the embedded-redis library on the test
 * class path ships. The machine's own Redis is never touched.
 */
public final class OwnRedis implements AutoCloseable {

  private static final List<String> BINARIES =
      List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server");

  private final Path work;
  private final Path binary;
  private final int port;
  private Process process;
  private volatile boolean frozen;

  private OwnRedis(Path work, Path binary, int port) {
    this.work = work;
    this.binary = binary;
    this.port = port;
  }

  public static OwnRedis start(String name) {
    try {
      Path work = OsProcesses.workDirectory("redis-" + name);
      Path binary = null;
      for (String candidate : BINARIES) {
        if (!Boolean.getBoolean("campus.blackbox.embedded-redis")
            && Files.isExecutable(Path.of(candidate))) {
          binary = Path.of(candidate);
          break;
        }
      }
      if (binary == null) {
        binary = work.resolve("redis-server");
        try (InputStream in =
            OwnRedis.class.getResourceAsStream("/redis-server-6.2.6-v5-linux-amd64")) {
          if (in == null) {
            throw new IllegalStateException("no redis-server on this machine or class path");
          }
          Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
        }
        binary.toFile().setExecutable(true);
      }
      OwnRedis redis = new OwnRedis(work, binary, EmbeddedServers.freePort());
      redis.start();
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public synchronized void start() {
    try {
      process =
          new ProcessBuilder(
                  binary.toString(),
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--dir",
                  work.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("redis.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    OsProcesses.await(
        "Redis on port " + port, Duration.ofSeconds(20), () -> OsProcesses.listening(port));
  }

  /** SIGKILL: the server is gone at once, with everything it held. */
  public synchronized void kill() {
    if (frozen) {
      thaw();
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public synchronized void freeze() {
    OsProcesses.signal("STOP", List.of(process.pid()));
    frozen = true;
  }

  public synchronized void thaw() {
    OsProcesses.signal("CONT", List.of(process.pid()));
    frozen = false;
  }

  @Override
  public synchronized void close() {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
