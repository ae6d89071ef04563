package io.campus.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.OtherTransaction;
import io.campus.testsupport.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class AdminUsersTest {

  private static final String PASSWORD = "correct horse battery staple 42";

  @Inject TestData data;

  private static int post(String token, String path) {
    var request = Clients.fresh();
    if (token != null) {
      request = request.auth().oauth2(token);
    }
    return request.post(path).statusCode();
  }

  @Test
  void onlyAdminsDisableAndEnable() {
    TestData.Account target = data.account(Role.STUDENT);
    for (String action : new String[] {"disable", "enable"}) {
      String path = "/api/admin/users/" + target.id() + "/" + action;
      assertThat(post(null, path)).isEqualTo(401);
      assertThat(post(data.account(Role.STUDENT).token(), path)).isEqualTo(403);
      assertThat(post(data.account(Role.MENTOR).token(), path)).isEqualTo(403);
      assertThat(post(target.token(), path)).isEqualTo(403);
    }
    String admin = data.account(Role.ADMIN).token();
    assertThat(post(admin, "/api/admin/users/999999999/disable")).isEqualTo(404);
    assertThat(post(admin, "/api/admin/users/0/disable")).isEqualTo(400);
  }

  /**
   * A disable that runs out of time (503) still commits once the row it waits for is free: its
   * sessions end then, cached ones included, although the admin's request has long been answered.
   */
  @Test
  void aDisableAnsweredTooLateStillEndsTheSessionsWhenItCommits() {
    TestData.Account target = cachedStudent();
    String admin = data.account(Role.ADMIN).token();
    try (OtherTransaction holding = data.otherTransaction()) {
      holding.run("select 1 from users where id = $1 for no key update", target.id());
      assertThat(post(admin, "/api/admin/users/" + target.id() + "/disable")).isEqualTo(503);
    }
    onceDisabledItsTokenStopsWorking(target);
  }

  /**
   * An admin whose client goes away before the answer (a disable waiting for the user's row) still
   * ends the user's sessions once the disable commits.
   */
  @Test
  void aDisableWhoseClientLeftStillEndsTheSessionsWhenItCommits() throws Exception {
    TestData.Account target = cachedStudent();
    String admin = data.account(Role.ADMIN).token();
    try (OtherTransaction holding = data.otherTransaction()) {
      holding.run("select 1 from users where id = $1 for no key update", target.id());
      try (java.net.Socket socket = new java.net.Socket("localhost", RestAssured.port)) {
        socket
            .getOutputStream()
            .write(
                ("POST /api/admin/users/"
                        + target.id()
                        + "/disable HTTP/1.1\r\n"
                        + "Host: localhost\r\nAuthorization: Bearer "
                        + admin
                        + "\r\n"
                        + "Content-Length: 0\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        Awaitility.await()
            .atMost(Duration.ofSeconds(3))
            .until(
                () ->
                    data.count(
                            "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                                + " and datname = current_database()")
                        > 0);
      } // the client leaves while the disable waits
      Thread.sleep(300);
    }
    onceDisabledItsTokenStopsWorking(target);
  }

  /** A student whose session is cached, so that only an eviction ends it. */
  private TestData.Account cachedStudent() {
    TestData.Account student = data.account(Role.STUDENT);
    Clients.fresh().auth().oauth2(student.token()).get("/api/auth/me").then().statusCode(200);
    return student;
  }

  /** Waits for the disable of {@code target} to commit; its token then stops working at once. */
  private void onceDisabledItsTokenStopsWorking(TestData.Account target) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                data.count(
                        "select count(*) from users where id = $1 and disabled_at is not null",
                        target.id())
                    == 1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                Clients.fresh()
                    .auth()
                    .oauth2(target.token())
                    .get("/api/auth/me")
                    .then()
                    .statusCode(401));
  }

  @Test
  void aDisabledUserCannotLogInAndLosesEverySessionAtOnce() {
    String email = TestData.unique("disabled") + "@example.org";
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", PASSWORD, "displayName", "Dee"))
        .post("/api/auth/register")
        .then()
        .statusCode(202);
    long id = data.single("select id from users where email = $1", Tuple.of(email)).getLong("id");
    String token = login(email, PASSWORD).then().statusCode(200).extract().path("token");
    // warm the session cache, so the disable must evict it
    Clients.fresh().auth().oauth2(token).get("/api/auth/me").then().statusCode(200);

    String admin = data.account(Role.ADMIN).token();
    Clients.fresh()
        .auth()
        .oauth2(admin)
        .post("/api/admin/users/" + id + "/disable")
        .then()
        .statusCode(200)
        .body("id", equalTo((int) id));
    Clients.fresh().auth().oauth2(token).get("/api/auth/me").then().statusCode(401);
    assertThat(data.count("select count(*) from sessions where user_id = $1", id)).isZero();

    // same answer as a wrong password: nobody learns the account exists and is disabled
    String disabledAnswer = login(email, PASSWORD).then().statusCode(401).extract().asString();
    String wrongPassword = login(email, PASSWORD + "x").then().statusCode(401).extract().asString();
    assertThat(disabledAnswer).isEqualTo(wrongPassword);

    // disabling twice is harmless
    Clients.fresh()
        .auth()
        .oauth2(admin)
        .post("/api/admin/users/" + id + "/disable")
        .then()
        .statusCode(200);
    Clients.fresh()
        .auth()
        .oauth2(admin)
        .post("/api/admin/users/" + id + "/enable")
        .then()
        .statusCode(200);
    String fresh = login(email, PASSWORD).then().statusCode(200).extract().path("token");
    Clients.fresh().auth().oauth2(fresh).get("/api/auth/me").then().statusCode(200);
    // the old session stays gone
    Clients.fresh().auth().oauth2(token).get("/api/auth/me").then().statusCode(401);
  }

  @Test
  void sessionLookupSkipsDisabledUsers() {
    TestData.Account account = data.account(Role.STUDENT);
    // disabled behind the application's back: no eviction happened, the lookup itself refuses
    data.execute("update users set disabled_at = now() where id = $1", Tuple.of(account.id()));
    Clients.fresh().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(401);
  }

  @Test
  void adminEndpointsRecheckTheRoleBehindAStaleCache() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account target = data.account(Role.STUDENT);
    String path = "/api/admin/users/" + target.id() + "/disable";
    // the session view is cached as ADMIN; the database changes behind every cache
    Clients.fresh()
        .auth()
        .oauth2(admin.token())
        .get("/api/auth/me")
        .then()
        .body("role", equalTo("ADMIN"));
    data.execute("update users set role = 'STUDENT' where id = $1", Tuple.of(admin.id()));
    Clients.fresh()
        .auth()
        .oauth2(admin.token())
        .post(path)
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    data.execute(
        "update users set role = 'ADMIN', disabled_at = now() where id = $1", Tuple.of(admin.id()));
    assertThat(post(admin.token(), path)).isEqualTo(403);
    data.execute("update users set disabled_at = null where id = $1", Tuple.of(admin.id()));
    assertThat(post(admin.token(), path)).isEqualTo(200);
  }

  @Test
  void theLastEnabledAdminIsNeverDisabledOrDemoted() {
    TestData.Account first = data.account(Role.ADMIN);
    data.execute(
        "update users set role = 'MENTOR' where role = 'ADMIN' and id <> $1", Tuple.of(first.id()));
    assertThat(post(first.token(), "/api/admin/users/" + first.id() + "/disable")).isEqualTo(409);

    // a disabled admin does not count as the other admin
    TestData.Account second = data.account(Role.ADMIN);
    assertThat(post(first.token(), "/api/admin/users/" + second.id() + "/disable")).isEqualTo(200);
    Clients.fresh()
        .auth()
        .oauth2(first.token())
        .contentType(ContentType.JSON)
        .body(Map.of("role", "STUDENT"))
        .put("/api/admin/users/" + first.id() + "/role")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    assertThat(post(first.token(), "/api/admin/users/" + first.id() + "/disable")).isEqualTo(409);

    assertThat(post(first.token(), "/api/admin/users/" + second.id() + "/enable")).isEqualTo(200);
    assertThat(post(first.token(), "/api/admin/users/" + first.id() + "/disable")).isEqualTo(200);
    assertThat(
            data.count(
                "select count(*) from users where role = 'ADMIN' and disabled_at is null"
                    + " and deleted_at is null"))
        .isEqualTo(1);
  }

  @Test
  void enablingOrDisablingThatChangesNothingIsNotAudited() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account target = data.account(Role.STUDENT);
    String path = "/api/admin/users/" + target.id();
    String auditRows = "select count(*) from audit_log where actor_id = $1";

    Clients.fresh()
        .auth()
        .oauth2(admin.token())
        .post(path + "/enable")
        .then()
        .statusCode(200)
        .body("id", equalTo((int) target.id()))
        .body("role", equalTo("STUDENT"));
    assertThat(data.count(auditRows, admin.id())).isZero();
    Clients.fresh().auth().oauth2(target.token()).get("/api/auth/me").then().statusCode(200);

    assertThat(post(admin.token(), path + "/disable")).isEqualTo(200);
    assertThat(data.count(auditRows, admin.id())).isEqualTo(1);
    assertThat(post(admin.token(), path + "/disable")).isEqualTo(200);
    assertThat(data.count(auditRows, admin.id())).isEqualTo(1);
    assertThat(post(admin.token(), path + "/enable")).isEqualTo(200);
    assertThat(data.count(auditRows, admin.id())).isEqualTo(2);
  }

  private static io.restassured.response.Response login(String email, String password) {
    return Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/api/auth/login");
  }
}
