package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.devsupport.EmbeddedServers;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.OwnDatabase;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The read pool against a second database (a migrated stand-in for a replica, reached through a
 * proxy the test can cut): lag-tolerant reads go there, and when it is gone they are answered by
 * the primary with 200s.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@TestProfile(ReadReplicaTest.WithReplica.class)
class ReadReplicaTest {

  public static class WithReplica implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(Replica.class));
    }
  }

  @Inject TestData data;
  @Inject MeterRegistry registry;

  @Test
  void lagTolerantReadsGoToTheReplicaAndFallBackToThePrimaryWhenItIsDown() throws Exception {
    String admin = data.account(Role.ADMIN).token();
    TestData.Account instructor = data.account(Role.MENTOR);

    // The doctor shows which database the read pool reads and its lag (none: not in recovery).
    var replication =
        given()
            .auth()
            .oauth2(admin)
            .queryParam("section", "replication")
            .get("/api/admin/db")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(replication.getBoolean("replication.read_replica.configured")).isTrue();
    assertThat(replication.getBoolean("replication.read_replica.up")).isTrue();
    assertThat(replication.getString("replication.read_replica.database")).isEqualTo(Replica.name);
    assertThat(replication.getBoolean("replication.read_replica.is_replica")).isFalse();
    assertThat((Object) replication.get("replication.read_replica.lag_seconds")).isNull();

    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 2);
    given()
        .auth()
        .oauth2(instructor.token())
        .get("/api/courses/" + course.slug() + "/analytics")
        .then()
        .statusCode(200);
    assertThat(replicaRan("%as_of%")).as("analytics ran on the replica").isTrue();
    given().auth().oauth2(instructor.token()).get("/api/leaderboard").then().statusCode(200);
    assertThat(replicaRan("%leaderboard%")).as("the leaderboard read ran on the replica").isTrue();
    given()
        .auth()
        .oauth2(admin)
        .queryParam("section", "sizes")
        .get("/api/admin/db")
        .then()
        .statusCode(200);
    assertThat(replicaRan("%pg_total_relation_size%")).isTrue();
    double before = fallbacks();

    Replica.proxy.close();

    // Uncached reads (a new course, a new user) still answer, from the primary.
    TestData.CourseFixture other = data.publishedCourse(instructor.id(), 1);
    given()
        .auth()
        .oauth2(instructor.token())
        .get("/api/courses/" + other.slug() + "/analytics")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(data.account(Role.STUDENT).token())
        .get("/api/leaderboard")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(admin)
        .queryParam("section", "sizes")
        .get("/api/admin/db")
        .then()
        .statusCode(200);
    assertThat(fallbacks()).isGreaterThanOrEqualTo(before + 3);
    given()
        .auth()
        .oauth2(admin)
        .queryParam("section", "replication")
        .get("/api/admin/db")
        .then()
        .statusCode(200)
        .body("replication.read_replica.up", org.hamcrest.Matchers.equalTo(false));
  }

  private double fallbacks() {
    return registry.find("campus.db.read.fallbacks").counter().count();
  }

  /** Whether a read pool connection's last statement on the replica matches the pattern. */
  private static boolean replicaRan(String pattern) throws Exception {
    try (Connection c = DriverManager.getConnection(Replica.jdbcUrl, "postgres", null);
        PreparedStatement q =
            c.prepareStatement(
                "select 1 from pg_stat_activity where datname = ?"
                    + " and application_name = 'campus-read' and query like ?")) {
      q.setString(1, Replica.name);
      q.setString(2, pattern);
      try (ResultSet rows = q.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** A second migrated database behind a proxy that can be cut, as the read URL. */
  public static class Replica implements QuarkusTestResourceLifecycleManager {

    static volatile String name;
    static volatile String jdbcUrl;
    static volatile Proxy proxy;
    private OwnDatabase database;

    @Override
    public Map<String, String> start() {
      String server =
          ConfigProvider.getConfig()
              .getOptionalValue("quarkus.datasource.jdbc.url", String.class)
              .orElse("jdbc:postgresql://127.0.0.1:5432/postgres");
      if (!EmbeddedServers.answers(server, 5432)) {
        server = "jdbc:postgresql://127.0.0.1:" + EmbeddedServers.postgres() + "/postgres";
      }
      database = OwnDatabase.create(server, "postgres");
      name = database.name();
      jdbcUrl = database.jdbcUrl();
      // Same schema and grants as the primary, as on a physical replica.
      Flyway.configure()
          .dataSource(jdbcUrl, "postgres", null)
          .locations("classpath:db/migration")
          .load()
          .migrate();
      try {
        proxy = new Proxy(database.host(), database.port());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of(
          "campus.datasource.read.url",
          "postgresql://127.0.0.1:" + proxy.port() + "/" + database.name(),
          "campus.datasource.read.timeout",
          "PT2S");
    }

    @Override
    public void stop() {
      if (proxy != null) {
        proxy.close();
      }
      if (database != null) {
        database.close();
      }
    }
  }

  /** A plain TCP relay; closing it refuses new connections and cuts the open ones. */
  static final class Proxy implements AutoCloseable {
    private final ServerSocket server = new ServerSocket();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Proxy(String host, int port) throws IOException {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(host, port);
                    sockets.add(client);
                    sockets.add(upstream);
                    relay(client, upstream);
                    relay(upstream, client);
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "replica-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private static void relay(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException ignored) {
                  // cut
                } finally {
                  try {
                    to.close();
                  } catch (IOException ignored) {
                    // already closed
                  }
                }
              },
              "replica-relay");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing
      }
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }
  }
}
