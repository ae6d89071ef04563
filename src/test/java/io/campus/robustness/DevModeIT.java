package io.campus.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.campus.blackbox.OsProcesses;
import io.campus.blackbox.StartupLog;
import io.campus.platform.devsupport.EmbeddedServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command as a newcomer runs it: {@code ./mvnw quarkus:dev} on a machine where
 * nothing answers at the configured PostgreSQL and Redis addresses. It must fall back to embedded
 * servers, start without an ERROR or WARN line of our own, and answer the very first request with
 * the demo data (never an empty, then cached, catalogue).
 */
class DevModeIT {

  private static final Path BASE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();

  @Test
  void devModeServesTheDemoCatalogueFromTheFirstRequest() throws Exception {
    int http = EmbeddedServers.freePort();
    int management = EmbeddedServers.freePort();
    int closed = EmbeddedServers.freePort(); // bound and released: nothing answers there
    Path log = OsProcesses.workDirectory("dev-mode").resolve("dev.log");
    List<String> command = new ArrayList<>();
    command.add(BASE.resolve("mvnw").toString());
    command.addAll(
        List.of(
            "-B",
            "quarkus:dev",
            "-Ddebug=false",
            "-Dquarkus.console.enabled=false",
            "-Dquarkus.analytics.disabled=true",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + http,
            "-Dquarkus.management.host=127.0.0.1",
            "-Dquarkus.management.port=" + management));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(BASE.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + closed + "/campus");
    env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/campus");
    env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + closed);
    Process maven = builder.start();
    try {
      OsProcesses.await(
          "dev mode listening (log: " + log + ")",
          Duration.ofMinutes(5),
          () -> {
            if (!maven.isAlive()) {
              throw new IllegalStateException("dev mode exited; log: " + log);
            }
            return read(log).stream().anyMatch(l -> l.contains("Listening on"));
          });

      HttpResponse<String> first =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + http + "/api/courses?limit=5"))
                      .timeout(Duration.ofSeconds(60))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(first.statusCode()).isEqualTo(200);
      JsonNode items = new ObjectMapper().readTree(first.body()).path("items");
      assertThat(items.size()).as("demo courses in the first answer").isEqualTo(5);

      // where the README sends a newcomer: Swagger UI and the OpenAPI document, management port
      for (String path : new String[] {"/q/swagger-ui/", "/q/openapi"}) {
        HttpResponse<String> docs =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(docs.statusCode()).as(path).isEqualTo(200);
      }

      List<String> lines = read(log);
      assertThat(lines).anyMatch(l -> l.contains("using an embedded PostgreSQL"));
      assertThat(lines).anyMatch(l -> l.contains("Demo data generated"));
      assertThat(StartupLog.problems(lines))
          .as("ERROR/WARN lines of dev mode (log: " + log + ")")
          .isEmpty();
    } finally {
      stop(maven);
    }
  }

  private static List<String> read(Path log) {
    try {
      return Files.readAllLines(log);
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  /** Maven, the dev-mode JVM it forked, and the embedded servers that JVM started. */
  private static void stop(Process maven) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(maven.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    maven.destroy();
    if (!maven.waitFor(60, TimeUnit.SECONDS)) {
      maven.destroyForcibly();
    }
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
  }
}
