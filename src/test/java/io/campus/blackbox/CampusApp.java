package io.campus.blackbox;

import io.campus.platform.devsupport.EmbeddedServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, prod profile) as its own
 * process on free HTTP and management ports, pointed at the test's own PostgreSQL and Redis.
 */
public final class CampusApp implements AutoCloseable {

  private static final HttpClient PROBE =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final String name;
  private final Process process;
  private final int httpPort;
  private final int managementPort;
  private final Path log;

  private CampusApp(String name, Process process, int httpPort, int managementPort, Path log) {
    this.name = name;
    this.process = process;
    this.httpPort = httpPort;
    this.managementPort = managementPort;
    this.log = log;
  }

  /** Starts the packaged service and waits until it reports ready. */
  public static CampusApp start(
      String name, OwnPostgres pg, OwnRedis redis, Map<String, String> overrides) {
    CampusApp app = launch(name, pg, redis.url(), overrides);
    app.awaitReady(Duration.ofSeconds(90));
    return app;
  }

  /** Starts the packaged service without waiting for it (its Redis given by URL). */
  public static CampusApp launch(
      String name, OwnPostgres pg, String redisUrl, Map<String, String> overrides) {
    Path base = Path.of(System.getProperty("basedir", "."));
    Path jar = base.resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run the tests through `./mvnw verify`");
    }
    try {
      int http = EmbeddedServers.freePort();
      int management = EmbeddedServers.freePort();
      Map<String, String> config = new LinkedHashMap<>();
      config.put("quarkus.http.host", "127.0.0.1");
      config.put("quarkus.http.port", Integer.toString(http));
      config.put("quarkus.management.host", "127.0.0.1");
      config.put("quarkus.management.port", Integer.toString(management));
      config.put("quarkus.datasource.reactive.url", pg.reactiveUrl());
      config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
      config.put("quarkus.datasource.username", "postgres");
      config.put("quarkus.redis.hosts", redisUrl);
      config.put("quarkus.shutdown.delay", "PT2S");
      config.putAll(overrides);
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx384m");
      config.forEach((k, v) -> command.add("-D" + k + "=" + v));
      command.add("-jar");
      command.add(jar.toString());
      Path log = OsProcesses.workDirectory("app-" + name).resolve("campus.log");
      Process process =
          new ProcessBuilder(command)
              .directory(base.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new CampusApp(name, process, http, management, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  public int httpPort() {
    return httpPort;
  }

  public int managementPort() {
    return managementPort;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** A health endpoint (ready, live, started) on the management port: status and body. */
  public HttpResponse<String> health(String which, Duration timeout) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/q/health/" + which))
            .timeout(timeout)
            .build();
    try {
      return PROBE.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  public boolean ready() {
    try {
      return health("ready", Duration.ofSeconds(2)).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready after " + timeout + tail());
      }
      OsProcesses.sleep(100);
    }
  }

  /** SIGTERM, as a container runtime sends it. */
  public void terminate() {
    process.destroy();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " still running after " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return "\n--- last lines of "
          + log
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /** Each "Unexpected failure" the service logged (a 500), with the first lines of its trace. */
  public String unexpectedFailures() {
    try {
      List<String> lines = Files.readAllLines(log);
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("Unexpected failure")) {
          int end = Math.min(lines.size(), i + 25);
          out.append('\n').append(String.join("\n", lines.subList(i, end)));
        }
      }
      return out.toString();
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
