package io.campus.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.campus.auth.LoginLocked;
import io.campus.platform.common.Problem;
import io.campus.testsupport.Access;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.Jobs;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class AuditLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject TestData data;
  @Inject Pool pool;
  @Inject Event<LoginLocked> locks;

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLines() {
    Logger.getLogger(AuditLog.CATEGORY).addHandler(capture);
  }

  @AfterEach
  void releaseLines() {
    Logger.getLogger(AuditLog.CATEGORY).removeHandler(capture);
  }

  /** The newest row of this action on this target. */
  private Row row(String action, String targetId) {
    return data.single(
        "select actor_id, action, target_type, target_id, before::text as before,"
            + " after::text as after from audit_log where action = $1 and target_id = $2"
            + " order by id desc limit 1",
        Tuple.of(action, targetId));
  }

  private long rows(String action, String targetId) {
    return data.count(
        "select count(*) from audit_log where action = $1 and target_id = $2", action, targetId);
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  /** The JSON line logged for this action and target. */
  private JsonNode line(String action, String targetId) throws Exception {
    for (String line : lines) {
      JsonNode node = json(line);
      if (action.equals(node.path("action").asText())
          && targetId.equals(node.path("targetId").asText())) {
        return node;
      }
    }
    throw new AssertionError("no audit line for " + action + " " + targetId + " in " + lines);
  }

  private static void login(String email, String password) {
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/api/auth/login")
        .then()
        .statusCode(401);
  }

  /**
   * Failed logins are written by anyone who types a wrong password, so the log would grow without
   * bound: rows older than campus.audit.retention are deleted by the audit-retention job.
   */
  @Test
  void rowsOlderThanTheRetentionAreDeletedByTheRetentionJob() {
    String action = TestData.unique("test.retention");
    data.execute(
        "insert into audit_log (at, action) values"
            + " (now() - interval '800 days', $1), (now() - interval '400 days', $1),"
            + " (now() - interval '1 day', $1), (now(), $1)",
        Tuple.of(action));

    JsonPath run = Jobs.runAndWait(data.account(Role.ADMIN).token(), AuditRetention.NAME);

    assertThat(run.getString("status")).isEqualTo("COMPLETED");
    assertThat(data.count("select count(*) from audit_log where action = $1", action))
        .as("rows of the last day kept, rows past the retention (365 days) deleted")
        .isEqualTo(2);
    assertThat(
            data.count(
                "select count(*) from audit_log where action = $1 and at < now() - interval '2 days'",
                action))
        .isZero();
  }

  @Test
  void failedLoginsAreRecordedWithoutTheEmailOfUnknownAccountsOrAnyPassword() throws Exception {
    TestData.Account known = data.account(Role.STUDENT);
    login(known.email(), "wrong password for audit 1");
    Row knownRow = row(AuditEvent.LOGIN_FAILED, String.valueOf(known.id()));
    assertThat(knownRow.getLong("actor_id")).isNull();
    assertThat(knownRow.getString("target_type")).isEqualTo("user");
    assertThat(json(knownRow.getString("after")).path("reason").asText())
        .isEqualTo("bad-credentials");
    assertThat(line(AuditEvent.LOGIN_FAILED, String.valueOf(known.id())).path("actor").isNull())
        .isTrue();

    String unknown = "  " + TestData.unique("Nobody").toUpperCase() + "@Example.org ";
    login(unknown, "wrong password for audit 2");
    String hash = AuditEvent.emailHash(unknown.trim().toLowerCase());
    Row unknownRow = row(AuditEvent.LOGIN_FAILED, hash);
    assertThat(unknownRow.getString("target_type")).isEqualTo(AuditEvent.EMAIL_HASH);
    assertThat(hash).hasSize(64).doesNotContain("@");
    assertThat(
            data.count(
                "select count(*) from audit_log where audit_log::text ilike $1"
                    + " or audit_log::text like '%wrong password for audit%'",
                "%" + unknown.trim() + "%"))
        .isZero();
    assertThat(String.join("\n", lines))
        .doesNotContainIgnoringCase(unknown.trim())
        .doesNotContain("wrong password for audit");
  }

  @Test
  void aLoginLockIsRecordedOnceThoughTheEventIsFiredTwice() {
    String account = TestData.unique("locked") + "@example.org";
    LoginLocked event = new LoginLocked(account, Duration.ofSeconds(90), null);
    locks.fire(event);
    locks.fireAsync(event);
    String hash = AuditEvent.emailHash(account);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rows(AuditEvent.LOGIN_LOCKED, hash) == 1);
    Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    assertThat(rows(AuditEvent.LOGIN_LOCKED, hash)).isEqualTo(1);
    assertThat(row(AuditEvent.LOGIN_LOCKED, hash).getString("after"))
        .contains("\"lockedForSeconds\": 90");
  }

  /** The lock's row names the client whose failure started it, as failed logins' rows do. */
  @Test
  void aLoginLockRecordsTheClientThatCausedIt() {
    TestData.Account known = data.account(Role.STUDENT);
    String from = "10.123.45.67";
    // campus.auth.login-throttle.max-failures
    for (int i = 0; i < 5; i++) {
      given()
          .header("X-Forwarded-For", from)
          .contentType(ContentType.JSON)
          .body(Map.of("email", known.email(), "password", "wrong password " + i))
          .post("/api/auth/login")
          .then()
          .statusCode(401);
    }
    String hash = AuditEvent.emailHash(known.email());
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rows(AuditEvent.LOGIN_LOCKED, hash) == 1);
    assertThat(
            data.single(
                    "select client from audit_log where action = $1 and target_id = $2",
                    Tuple.of(AuditEvent.LOGIN_LOCKED, hash))
                .getString("client"))
        .isEqualTo(from);
  }

  @Test
  void roleChangesAndDisablingAreRecordedWithBeforeAndAfter() throws Exception {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account target = data.account(Role.STUDENT);
    String id = String.valueOf(target.id());
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(Map.of("role", "MENTOR"))
        .put("/api/admin/users/" + id + "/role")
        .then()
        .statusCode(200);
    Row role = row(AuditEvent.ROLE_CHANGED, id);
    assertThat(role.getLong("actor_id")).isEqualTo(admin.id());
    assertThat(role.getString("target_type")).isEqualTo("user");
    assertThat(json(role.getString("before"))).isEqualTo(json("{\"role\":\"STUDENT\"}"));
    assertThat(json(role.getString("after"))).isEqualTo(json("{\"role\":\"MENTOR\"}"));
    JsonNode line = line(AuditEvent.ROLE_CHANGED, id);
    assertThat(line.path("actor").asLong()).isEqualTo(admin.id());
    assertThat(line.path("before").path("role").asText()).isEqualTo("STUDENT");
    assertThat(line.path("after").path("role").asText()).isEqualTo("MENTOR");
    assertThat(line.path("at").asText()).isNotBlank();

    given()
        .auth()
        .oauth2(admin.token())
        .post("/api/admin/users/" + id + "/disable")
        .then()
        .statusCode(200);
    Row disabled = row(AuditEvent.USER_DISABLED, id);
    assertThat(disabled.getLong("actor_id")).isEqualTo(admin.id());
    assertThat(json(disabled.getString("before"))).isEqualTo(json("{\"disabled\":false}"));
    assertThat(json(disabled.getString("after"))).isEqualTo(json("{\"disabled\":true}"));

    given()
        .auth()
        .oauth2(admin.token())
        .post("/api/admin/users/" + id + "/enable")
        .then()
        .statusCode(200);
    Row enabled = row(AuditEvent.USER_ENABLED, id);
    assertThat(json(enabled.getString("before"))).isEqualTo(json("{\"disabled\":true}"));
    assertThat(json(enabled.getString("after"))).isEqualTo(json("{\"disabled\":false}"));

    // a refused action leaves no row
    given()
        .auth()
        .oauth2(admin.token())
        .post("/api/admin/users/999999999/disable")
        .then()
        .statusCode(404);
    assertThat(rows(AuditEvent.USER_DISABLED, "999999999")).isZero();
  }

  /**
   * The row is written in the change's transaction: a role change whose row cannot be written does
   * not happen. (The row was written after the commit: the role had changed, the user's sessions
   * had ended, and the admin got an error.)
   */
  @Test
  void aRoleChangeWhoseAuditRowCannotBeWrittenDoesNotHappen() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account target = data.account(Role.STUDENT);
    TestData.asOwner(
        "alter table audit_log add constraint audit_test_refused check (action <> '"
            + AuditEvent.ROLE_CHANGED
            + "') not valid");
    int status;
    try {
      status =
          given()
              .auth()
              .oauth2(admin.token())
              .contentType(ContentType.JSON)
              .body(Map.of("role", "MENTOR"))
              .put("/api/admin/users/" + target.id() + "/role")
              .then()
              .extract()
              .statusCode();
    } finally {
      TestData.asOwner("alter table audit_log drop constraint audit_test_refused");
    }
    assertThat(status).isGreaterThanOrEqualTo(500);
    assertThat(
            data.count(
                "select count(*) from users where id = $1 and role = 'STUDENT'", target.id()))
        .isEqualTo(1);
    given().auth().oauth2(target.token()).get("/api/auth/me").then().statusCode(200);
  }

  @Test
  void everyOtherAdminWriteIsRecordedOnceAndOtherUsersWritesAreNot() throws Exception {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    String unassign = "DELETE /api/admin/mentor-assignments/" + mentor.id() + "/" + student.id();
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(Map.of("mentorId", mentor.id(), "studentId", student.id()))
        .put("/api/admin/mentor-assignments")
        .then()
        .statusCode(201);
    given()
        .auth()
        .oauth2(admin.token())
        .delete("/api/admin/mentor-assignments/" + mentor.id() + "/" + student.id())
        .then()
        .statusCode(204);
    Row row = row(AdminActionAudit.ADMIN_WRITE, unassign);
    assertThat(row.getLong("actor_id")).isEqualTo(admin.id());
    assertThat(row.getString("target_type")).isEqualTo("http");
    assertThat(json(row.getString("after")).path("status").asInt()).isEqualTo(204);
    assertThat(rows(AdminActionAudit.ADMIN_WRITE, "PUT /api/admin/mentor-assignments"))
        .isPositive();

    // an action with a hook of its own is recorded once, by that hook
    String id = String.valueOf(student.id());
    given()
        .auth()
        .oauth2(admin.token())
        .post("/api/admin/users/" + id + "/disable")
        .then()
        .statusCode(200);
    assertThat(rows(AuditEvent.USER_DISABLED, id)).isEqualTo(1);
    assertThat(rows(AdminActionAudit.ADMIN_WRITE, "POST /api/admin/users/" + id + "/disable"))
        .isZero();

    // not an admin: nothing recorded
    long before = data.count("select count(*) from audit_log where actor_id = $1", mentor.id());
    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("displayName", "Mentor renamed"))
        .patch("/api/users/me")
        .then()
        .statusCode(200);
    assertThat(data.count("select count(*) from audit_log where actor_id = $1", mentor.id()))
        .isEqualTo(before);
  }

  @Test
  void cacheInvalidationsAndJobTriggersAreRecorded() throws Exception {
    TestData.Account admin = data.account(Role.ADMIN);
    given()
        .auth()
        .oauth2(admin.token())
        .contentType(ContentType.JSON)
        .body(Map.of("cache", "course-detail"))
        .post("/api/admin/cache/invalidate")
        .then()
        .statusCode(200);
    Row cache =
        data.single(
            "select after::text as after from audit_log where action = $1 and actor_id = $2",
            Tuple.of(AuditEvent.CACHE_INVALIDATED, admin.id()));
    assertThat(json(cache.getString("after")).path("cache").asText()).isEqualTo("course-detail");

    long runId =
        given()
            .auth()
            .oauth2(admin.token())
            .post("/api/admin/jobs/streak-reset/runs")
            .then()
            .statusCode(202)
            .extract()
            .jsonPath()
            .getLong("id");
    Row job =
        data.single(
            "select target_type, target_id, after::text as after from audit_log"
                + " where action = $1 and actor_id = $2",
            Tuple.of(AuditEvent.JOB_TRIGGERED, admin.id()));
    assertThat(job.getString("target_type")).isEqualTo("job");
    assertThat(job.getString("target_id")).isEqualTo("streak-reset");
    assertThat(json(job.getString("after")).path("runId").asLong()).isEqualTo(runId);
  }

  @Test
  void aCancelledQueryIsRecorded() {
    CompletableFuture<?> runaway =
        pool.query("select pg_sleep(4) as audited_runaway").execute().subscribeAsCompletionStage();
    TestData.Account admin = data.account(Role.ADMIN);
    int[] pid = new int[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(
            () -> {
              List<Map<String, Object>> running =
                  given()
                      .auth()
                      .oauth2(admin.token())
                      .queryParam("section", "overview")
                      .get("/api/admin/db")
                      .then()
                      .extract()
                      .jsonPath()
                      .getList("overview.longest_running");
              for (Map<String, Object> q : running) {
                if (String.valueOf(q.get("query")).contains("audited_runaway")) {
                  pid[0] = ((Number) q.get("pid")).intValue();
                  return true;
                }
              }
              return false;
            });
    given()
        .auth()
        .oauth2(admin.token())
        .post("/api/admin/db/queries/" + pid[0] + "/cancel")
        .then()
        .statusCode(200);
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(runaway::isDone);
    Row row = row(AuditEvent.QUERY_CANCELLED, String.valueOf(pid[0]));
    assertThat(row.getLong("actor_id")).isEqualTo(admin.id());
    assertThat(row.getString("target_type")).isEqualTo("backend");
  }

  @Test
  void adminsPageThroughTheLogNewestFirst() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account target = data.account(Role.STUDENT);
    String path = "/api/admin/users/" + target.id();
    for (int i = 0; i < 3; i++) {
      given().auth().oauth2(admin.token()).post(path + "/disable").then().statusCode(200);
      given().auth().oauth2(admin.token()).post(path + "/enable").then().statusCode(200);
    }
    List<Long> ids = new ArrayList<>();
    List<String> actions = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var request =
          given()
              .auth()
              .oauth2(admin.token())
              .queryParam("actor", admin.id())
              .queryParam("limit", 4);
      if (cursor != null) {
        request = request.queryParam("cursor", cursor);
      }
      JsonPath page = request.get("/api/admin/audit").then().statusCode(200).extract().jsonPath();
      ids.addAll(page.getList("items.id", Long.class));
      actions.addAll(page.getList("items.action", String.class));
      assertThat(page.getList("items.actorId", Long.class)).containsOnly(admin.id());
      cursor = page.getString("next");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(2);
    assertThat(ids).hasSize(6).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(actions.get(0)).isEqualTo(AuditEvent.USER_ENABLED);

    given()
        .auth()
        .oauth2(admin.token())
        .queryParam("actor", admin.id())
        .queryParam("action", AuditEvent.USER_DISABLED)
        .get("/api/admin/audit")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(3))
        .body("items[0].before.disabled", equalTo(false))
        .body("items[0].targetId", equalTo(String.valueOf(target.id())));
  }

  @Test
  void badFiltersAreProblems() {
    String admin = data.account(Role.ADMIN).token();
    for (Map<String, String> query :
        List.of(
            Map.of("actor", "abc"),
            Map.of("actor", "0"),
            Map.of("action", "DROP TABLE"),
            Map.of("limit", "0"),
            Map.of("limit", "100000"),
            Map.of("cursor", "not-a-cursor"))) {
      given()
          .auth()
          .oauth2(admin)
          .queryParams(query)
          .get("/api/admin/audit")
          .then()
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE);
    }
  }

  @Test
  void onlyAdminsReadTheLog() {
    given().get("/api/admin/audit").then().statusCode(401);
    Access.assertForbidden(
        "/api/admin/audit", List.of(data.account(Role.STUDENT), data.account(Role.MENTOR)));
    given()
        .auth()
        .oauth2(data.account(Role.ADMIN).token())
        .get("/api/admin/audit")
        .then()
        .statusCode(200);
  }
}
