package io.campus.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.blackbox.CampusApp;
import io.campus.blackbox.Client;
import io.campus.blackbox.OsProcesses;
import io.campus.blackbox.OwnPostgres;
import io.campus.blackbox.Seed;
import io.campus.platform.devsupport.EmbeddedServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged service against a PostgreSQL with {@code ssl=on} and a Redis that speaks only TLS,
 * both with certificates from a CA this test generates: two instances trusting that CA (Quarkus TLS
 * registry, no JVM trust store) serve, become ready and invalidate each other's caches; an instance
 * facing servers whose certificates name another host refuses them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackendTlsIT {

  private static final Client CLIENT = new Client(Duration.ofSeconds(10));
  private static Path certs;
  private static OwnPostgres pg;
  private static final List<Process> redisServers = new ArrayList<>();
  private static int redisPort;
  private static int wrongRedisPort;
  private static CampusApp one;
  private static CampusApp two;
  private static Seed.Account admin;
  private static Seed.Course course;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is needed to make certificates");
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/redis-server")),
        "the machine's redis-server (built with TLS) is needed");
    certs = Files.createTempDirectory("campus-tls-");
    Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Campus Test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    serverCertificate("good", "localhost", "DNS:localhost,IP:127.0.0.1");
    serverCertificate("wrong", "wrong.example", "DNS:wrong.example");
    for (String file : List.of("ca.pem", "good.pem", "good.key", "wrong.pem", "wrong.key")) {
      Files.setPosixFilePermissions(
          certs.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
    }

    pg = OwnPostgres.start("tls");
    serveTls(pg, "good");
    redisPort = startTlsRedis("good");
    wrongRedisPort = startTlsRedis("wrong");

    one = CampusApp.launch("tls-one", pg, null, tlsConfig(redisPort, true));
    one.awaitReady(Duration.ofSeconds(90));
    two = CampusApp.launch("tls-two", pg, null, tlsConfig(redisPort, true));
    two.awaitReady(Duration.ofSeconds(90));
    try (Connection c = pg.connect()) {
      Seed seed = new Seed(c);
      admin = seed.accounts("ADMIN", 1).get(0);
      course = seed.publishedCourse(admin.id(), 3);
    }
  }

  @AfterAll
  static void stop() {
    for (CampusApp app : new CampusApp[] {one, two}) {
      if (app != null) {
        app.close();
      }
    }
    redisServers.forEach(Process::destroyForcibly);
    if (pg != null) {
      pg.close();
    }
    if (certs != null) {
      OsProcesses.deleteTree(certs);
    }
  }

  @Test
  @Order(1)
  void instancesServeAndAreReadyOverVerifiedTls() throws Exception {
    for (CampusApp app : List.of(one, two)) {
      assertThat(CLIENT.get(app.url("/api/courses"), null).status()).isEqualTo(200);
      HttpResponse<String> ready = app.health("ready", Duration.ofSeconds(2));
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body().replaceAll("\\s", ""))
          .contains("\"database\":\"up\"")
          .contains("\"redis\":\"up\"");
    }
    // Every connection of the service to PostgreSQL is encrypted.
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        var rows =
            s.executeQuery(
                "select count(*) filter (where not ssl.ssl), count(*) from pg_stat_ssl ssl"
                    + " join pg_stat_activity a using (pid) where a.application_name like 'campus%'")) {
      rows.next();
      assertThat(rows.getLong(2)).as("campus connections").isPositive();
      assertThat(rows.getLong(1)).as("campus connections without TLS").isZero();
    }
  }

  @Test
  @Order(2)
  void aChangeOnOneInstanceInvalidatesTheOther() throws Exception {
    String detail = "/api/courses/" + course.slug();
    assertThat(CLIENT.get(two.url(detail), null).body()).contains("Blackbox " + course.slug());
    assertThat(CLIENT.get(two.url(detail), null).status()).isEqualTo(200); // now cached
    String title = "Renamed over TLS " + System.nanoTime();
    HttpResponse<String> put =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(one.url(detail)))
                    .header("Authorization", "Bearer " + admin.token())
                    .header("Content-Type", "application/json")
                    .PUT(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"title\":\""
                                + title
                                + "\",\"description\":\"d\",\"category\":\"testing\","
                                + "\"level\":\"BEGINNER\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String seen = CLIENT.get(two.url(detail), null).body();
    while (!seen.contains(title) && System.nanoTime() < deadline) {
      OsProcesses.sleep(100);
      seen = CLIENT.get(two.url(detail), null).body();
    }
    assertThat(seen).as("instance two after the change on instance one").contains(title);
  }

  @Test
  @Order(3)
  void certificatesForAnotherHostAreRefused() throws Exception {
    // PostgreSQL now presents a certificate for wrong.example (same CA); the instances connect to
    // localhost. Migrations are skipped so that the reactive clients meet the certificate.
    serveTls(pg, "wrong");
    Map<String, String> config = tlsConfig(wrongRedisPort, false);
    CampusApp three = CampusApp.launch("tls-wrong-host", pg, null, config);
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!startedOrGone(three) && System.nanoTime() < deadline) {
        OsProcesses.sleep(200);
      }
      assertThat(three.alive()).as(three.tail()).isTrue();
      for (int i = 0; i < 15; i++) {
        assertThat(three.ready()).as("ready against a wrong-host certificate").isFalse();
        OsProcesses.sleep(200);
      }
      String ready = three.health("ready", Duration.ofSeconds(2)).body().replaceAll("\\s", "");
      assertThat(ready).contains("\"database\":\"down").contains("\"redis\":\"degraded");
      String probe =
          Files.readAllLines(three.log()).stream()
              .filter(line -> line.contains("PostgreSQL is unreachable"))
              .findFirst()
              .orElse("(no such line)" + three.tail());
      assertThat(probe)
          .as("the readiness probe's reason")
          .containsAnyOf("SSL handshake failed", "No subject alternative", "certificate");
    } finally {
      three.close();
    }
    // Flyway (JDBC, sslmode=verify-full) refuses the same certificate: the start-up fails.
    CampusApp four =
        CampusApp.launch("tls-wrong-host-flyway", pg, null, tlsConfig(wrongRedisPort, true));
    try {
      assertThat(four.awaitExit(Duration.ofSeconds(90))).isNotZero();
      assertThat(Files.readString(four.log()))
          .containsAnyOf("could not be verified", "No subject alternative", "hostname");
    } finally {
      four.close();
    }
  }

  @Test
  @Order(4)
  void unsafeSettingsStopTheStartUpWithAMessage() throws Exception {
    Map<String, String> config = tlsConfig(redisPort, true);
    config.put(
        "quarkus.datasource.jdbc.url",
        "jdbc:postgresql://localhost:" + pg.port() + "/postgres?sslmode=require");
    CampusApp app = CampusApp.launch("tls-unsafe", pg, null, config);
    try {
      assertThat(app.awaitExit(Duration.ofSeconds(90))).isNotZero();
      assertThat(Files.readString(app.log()))
          .contains("Unsafe TLS settings")
          .contains("sslmode=require");
    } finally {
      app.close();
    }
  }

  private static boolean startedOrGone(CampusApp app) {
    try {
      return !app.alive() || app.health("started", Duration.ofSeconds(2)).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The service's TLS settings: both servers verified against the test CA, by host name. */
  private static Map<String, String> tlsConfig(int redis, boolean migrate) {
    String ca = certs.resolve("ca.pem").toString();
    Map<String, String> config = new LinkedHashMap<>();
    config.put(
        "quarkus.datasource.reactive.url",
        "postgresql://localhost:" + pg.port() + "/postgres?sslmode=verify-full");
    config.put(
        "quarkus.datasource.jdbc.url",
        "jdbc:postgresql://localhost:"
            + pg.port()
            + "/postgres?sslmode=verify-full&sslrootcert="
            + ca);
    config.put("campus.ops.db.tls-configuration-name", "testdb");
    config.put("quarkus.tls.testdb.trust-store.pem.certs", ca);
    config.put("quarkus.redis.hosts", "rediss://localhost:" + redis);
    config.put("quarkus.redis.tls-configuration-name", "testcache");
    config.put("quarkus.tls.testcache.trust-store.pem.certs", ca);
    config.put("quarkus.flyway.migrate-at-start", Boolean.toString(migrate));
    return config;
  }

  private static void openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("/usr/bin/openssl"));
    command.addAll(List.of(args));
    OsProcesses.run(command, certs, Duration.ofSeconds(60));
  }

  private static void serverCertificate(String name, String cn, String san) throws IOException {
    Files.writeString(certs.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + cn,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".pem");
  }

  /**
   * Turns TLS on in the test's PostgreSQL with one of the certificates: the key is copied next to
   * the data directory, owned by the server's user and readable by it only (PostgreSQL insists).
   */
  private static void serveTls(OwnPostgres pg, String name) throws Exception {
    Path cert = pg.workDirectory().resolve("server-" + name + ".pem");
    Path key = pg.workDirectory().resolve("server-" + name + ".key");
    Files.copy(certs.resolve(name + ".pem"), cert);
    Files.copy(certs.resolve(name + ".key"), key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    if (OsProcesses.isRoot() && pg.describe().startsWith("PostgreSQL from")) {
      OsProcesses.run(
          List.of("chown", "postgres", cert.toString(), key.toString()), Duration.ofSeconds(10));
    }
    try (Connection c = pg.connect();
        Statement s = c.createStatement()) {
      s.execute("alter system set ssl_cert_file = '" + cert + "'");
      s.execute("alter system set ssl_key_file = '" + key + "'");
      s.execute("alter system set ssl = on");
      s.execute("select pg_reload_conf()");
    }
    OsProcesses.await(
        "PostgreSQL serving " + name + ".pem",
        Duration.ofSeconds(10),
        () -> {
          try (Connection c = pg.connect();
              Statement s = c.createStatement();
              var rows = s.executeQuery("show ssl_cert_file")) {
            rows.next();
            return rows.getString(1).equals(cert.toString());
          } catch (Exception e) {
            return false;
          }
        });
  }

  /** A redis-server that speaks only TLS (no plain port), with one of the certificates. */
  private static int startTlsRedis(String name) throws IOException {
    int port = EmbeddedServers.freePort();
    Path dir = OsProcesses.workDirectory("redis-tls-" + name);
    Process process =
        new ProcessBuilder(
                "/usr/bin/redis-server",
                "--port",
                "0",
                "--tls-port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--tls-cert-file",
                certs.resolve(name + ".pem").toString(),
                "--tls-key-file",
                certs.resolve(name + ".key").toString(),
                "--tls-ca-cert-file",
                certs.resolve("ca.pem").toString(),
                "--tls-auth-clients",
                "no",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
            .start();
    redisServers.add(process);
    OsProcesses.await(
        "TLS Redis on port " + port,
        Duration.ofSeconds(20),
        () -> {
          Assumptions.assumeTrue(
              process.isAlive(), "redis-server did not start with TLS (built without it?)");
          return OsProcesses.listening(port);
        });
    return port;
  }
}
