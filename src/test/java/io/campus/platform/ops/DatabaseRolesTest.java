package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Requests run as an application role that reads and writes rows only: no DDL, no view of other
 * roles' statements, no cancelling their backends; the migrations' owner role does the rest.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class DatabaseRolesTest {

  @Inject Pool pool;
  @Inject TestData data;

  @Test
  void theServiceRunsAsAnUnprivilegedRoleThatCannotChangeTheSchema() {
    Row me =
        pool.query(
                "select current_user as name, r.rolsuper, r.rolcreaterole, r.rolcreatedb,"
                    + " pg_has_role(current_user, 'pg_signal_backend', 'usage') as signals,"
                    + " pg_has_role(current_user, 'pg_read_all_stats', 'usage') as reads_stats,"
                    + " (select tableowner from pg_tables where tablename = 'users') as owner"
                    + " from pg_roles r where r.rolname = current_user")
            .execute()
            .await()
            .atMost(Duration.ofSeconds(5))
            .iterator()
            .next();
    assertThat(me.getString("name")).isEqualTo(System.getProperty("campus-test.app-role"));
    assertThat(me.getString("name")).isNotEqualTo(me.getString("owner"));
    assertThat(me.getBoolean("rolsuper")).isFalse();
    assertThat(me.getBoolean("rolcreaterole")).isFalse();
    assertThat(me.getBoolean("rolcreatedb")).isFalse();
    assertThat(me.getBoolean("signals")).isFalse();
    assertThat(me.getBoolean("reads_stats")).isFalse();

    for (String ddl :
        List.of(
            "create table intruder (id int)",
            "drop table users",
            "alter table users add column intruder text",
            "truncate enrollments",
            "create index intruder_idx on users (email)",
            "create function intruder() returns int language sql as 'select 1'")) {
      assertThat(failure(ddl)).as(ddl).containsPattern("must be owner|permission denied");
    }
    // Rows, sequences and the leaderboard refresh (a function of the owner's) still work.
    assertThat(
            pool.query("select count(*) as n from users")
                .execute()
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong("n"))
        .isNotNegative();
    pool.query("select refresh_leaderboard()").execute().await().atMost(Duration.ofSeconds(10));
  }

  @Test
  void tablesOfLaterMigrationsAreGrantedByDefault() throws Exception {
    // As the owner (the migration role), like a future migration would.
    ownerExecute("create table later_migration_probe (id bigserial primary key, v text)");
    try {
      pool.query("insert into later_migration_probe (v) values ('x')")
          .execute()
          .await()
          .atMost(Duration.ofSeconds(5));
      assertThat(
              pool.query("delete from later_migration_probe")
                  .execute()
                  .await()
                  .atMost(Duration.ofSeconds(5))
                  .rowCount())
          .isEqualTo(1);
    } finally {
      ownerExecute("drop table later_migration_probe");
    }
  }

  @Test
  void theDoctorShowsAndCancelsTheServicesOwnSessionsOnly() throws Exception {
    String admin = data.account(Role.ADMIN).token();
    try (Connection owner = ownerConnection()) {
      int ownerPid;
      try (Statement s = owner.createStatement();
          ResultSet rows = s.executeQuery("select pg_backend_pid()")) {
        rows.next();
        ownerPid = rows.getInt(1);
      }
      CompletableFuture<Boolean> foreign =
          CompletableFuture.supplyAsync(
              () -> {
                try (Statement s = owner.createStatement()) {
                  return s.execute("select pg_sleep(2) as foreign_secret_literal_4711");
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      // Only the owner may see whether its own session is busy.
      try (Connection watcher = ownerConnection()) {
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> active(watcher, ownerPid));
      }
      // The server itself keeps the other role's statement from the application role.
      String seen =
          pool.preparedQuery("select query from pg_stat_activity where pid = $1")
              .execute(Tuple.of(ownerPid))
              .await()
              .atMost(Duration.ofSeconds(2))
              .iterator()
              .next()
              .getString("query");
      assertThat(seen).doesNotContain("foreign_secret_literal_4711");

      String overview =
          given()
              .auth()
              .oauth2(admin)
              .queryParam("section", "overview")
              .get("/api/admin/db")
              .then()
              .statusCode(200)
              .extract()
              .asString();
      assertThat(overview).doesNotContain("foreign_secret_literal_4711");
      List<Map<String, Object>> running =
          given()
              .auth()
              .oauth2(admin)
              .queryParam("section", "overview")
              .get("/api/admin/db")
              .then()
              .extract()
              .jsonPath()
              .getList("overview.longest_running");
      assertThat(running)
          .extracting(q -> ((Number) q.get("pid")).intValue())
          .doesNotContain(ownerPid);

      given()
          .auth()
          .oauth2(admin)
          .post("/api/admin/db/queries/" + ownerPid + "/cancel")
          .then()
          .statusCode(404);
      assertThat(foreign.get()).as("the other role's statement ran to its end").isTrue();
    }
  }

  private String failure(String sql) {
    Throwable failure =
        pool.query(sql)
            .execute()
            .onItemOrFailure()
            .transform((rows, error) -> error)
            .await()
            .atMost(Duration.ofSeconds(5));
    assertThat(failure).as(sql + " must fail").isNotNull();
    return failure.getMessage();
  }

  private static boolean active(Connection connection, int pid) throws SQLException {
    try (var query =
        connection.prepareStatement(
            "select 1 from pg_stat_activity where pid = ? and state = 'active'")) {
      query.setInt(1, pid);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static Connection ownerConnection() throws SQLException {
    return DriverManager.getConnection(
        System.getProperty(CampusTestResources.JDBC_URL_PROPERTY), "postgres", null);
  }

  private static void ownerExecute(String sql) throws SQLException {
    try (Connection c = ownerConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
