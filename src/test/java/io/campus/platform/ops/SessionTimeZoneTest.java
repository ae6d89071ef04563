package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.devsupport.EmbeddedServers;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.OwnDatabase;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Streak days, assessment dates and every other {@code current_date} are UTC days whatever time
 * zone the PostgreSQL server or database is set to: every connection the service opens sets its
 * session's TimeZone to UTC. The service runs here against a database whose own default is a zone
 * that is on another calendar day than UTC when the run starts.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@TestProfile(SessionTimeZoneTest.FarFromUtc.class)
class SessionTimeZoneTest {

  public static class FarFromUtc implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(ZonedDatabase.class));
    }
  }

  @Inject Pool pool;
  @Inject Pipelined pipelined;
  @Inject ReadReplica replica;
  @Inject TestData data;

  private static Uni<Row> session(SqlClient client) {
    return client
        .query(
            "select current_database() as db, current_setting('TimeZone') as zone,"
                + " current_setting('application_name') as app, current_date as today")
        .execute()
        .map(rows -> rows.iterator().next());
  }

  private static Row setting(SqlClient client) {
    return session(client).await().indefinitely();
  }

  @Test
  void everyConnectionOfTheServiceCountsDaysInUtc() {
    assertThat(ZonedDatabase.defaultZone()).isEqualTo(ZonedDatabase.zone);

    Row primary = setting(pool);
    assertThat(primary.getString("db")).isEqualTo(ZonedDatabase.name);
    assertThat(primary.getString("zone")).isEqualTo("UTC");
    assertThat(primary.getString("app")).isEqualTo("campus");
    assertThat(primary.getLocalDate("today")).isIn(utcToday(), utcToday().minusDays(1));

    for (SqlClient client : List.of(pipelined.reads(), pipelined.writes())) {
      Row row = setting(client);
      assertThat(row.getString("db")).isEqualTo(ZonedDatabase.name);
      assertThat(row.getString("zone")).isEqualTo("UTC");
    }

    assertThat(replica.configured()).isTrue();
    Row read = replica.read(SessionTimeZoneTest::session).await().indefinitely();
    assertThat(read.getString("app")).isEqualTo("campus-read");
    assertThat(read.getString("zone")).isEqualTo("UTC");
  }

  @Test
  void aLessonCompletedNowIsActivityOnTheUtcDay() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 2);
    data.enroll(student.id(), course.id());

    LocalDate before = utcToday();
    given()
        .auth()
        .oauth2(student.token())
        .post("/api/lessons/" + course.lessonIds().get(0) + "/complete")
        .then()
        .statusCode(200);
    LocalDate after = utcToday();

    LocalDate lastActive =
        data.single(
                "select last_active_on from user_stats where user_id = $1", Tuple.of(student.id()))
            .getLocalDate("last_active_on");
    // Only a completion at midnight UTC sees two UTC days; the zone's day is another one all along
    // (unless the run went on for over ten hours).
    assertThat(lastActive).isIn(before, after);
    assertThat(
            data.single(
                    "select current_streak from user_stats where user_id = $1",
                    Tuple.of(student.id()))
                .getInteger("current_streak"))
        .isEqualTo(1);
  }

  private static LocalDate utcToday() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /**
   * A migrated database of its own whose default TimeZone is a zone on another day than UTC at
   * start: a day ahead (+14) from 11:00 UTC, a day behind (-12) before, each true for at least an
   * hour longer. The service's primary and read URLs point at it.
   */
  public static class ZonedDatabase implements QuarkusTestResourceLifecycleManager {

    static volatile String name;
    static volatile String zone;
    private static volatile String jdbcUrl;
    private OwnDatabase database;

    static String zoneOnAnotherDay(OffsetDateTime utcNow) {
      return utcNow.getHour() >= 11 ? "Pacific/Kiritimati" : "Etc/GMT+12";
    }

    /** The database's own default, as a session that does not set one sees it. */
    static String defaultZone() {
      try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", null);
          Statement s = c.createStatement();
          var rows =
              s.executeQuery(
                  "select coalesce((select split_part(cfg, '=', 2)"
                      + " from pg_db_role_setting r join pg_database d on d.oid = r.setdatabase,"
                      + " unnest(r.setconfig) cfg where d.datname = current_database()"
                      + " and r.setrole = 0 and cfg ilike 'timezone=%'), 'none')")) {
        rows.next();
        return rows.getString(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

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
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
      zone = zoneOnAnotherDay(now);
      if (now.atZoneSameInstant(ZoneId.of(zone)).toLocalDate().equals(now.toLocalDate())) {
        throw new IllegalStateException(zone + " is on the UTC day at " + now);
      }
      try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", null);
          Statement s = c.createStatement()) {
        s.execute("alter database " + name + " set timezone = '" + zone + "'");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      String reactive = "postgresql://" + database.host() + ":" + database.port() + "/" + name;
      return Map.of(
          "quarkus.datasource.jdbc.url", jdbcUrl,
          "quarkus.datasource.reactive.url", reactive,
          "campus.datasource.read.url", reactive);
    }

    @Override
    public void stop() {
      if (database != null) {
        database.close();
      }
    }
  }
}
