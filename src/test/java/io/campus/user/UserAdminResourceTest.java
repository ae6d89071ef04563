package io.campus.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.TestData;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class UserAdminResourceTest {

  @Inject TestData data;

  @Test
  void onlyAdminsChangeRoles() {
    TestData.Account target = data.account(Role.STUDENT);
    String path = "/api/admin/users/" + target.id() + "/role";
    Map<String, String> body = Map.of("role", "MENTOR");
    given().contentType(ContentType.JSON).body(body).put(path).then().statusCode(401);
    for (Role role : new Role[] {Role.STUDENT, Role.MENTOR}) {
      given()
          .auth()
          .oauth2(data.account(role).token())
          .contentType(ContentType.JSON)
          .body(body)
          .put(path)
          .then()
          .statusCode(403);
    }
    given()
        .auth()
        .oauth2(target.token())
        .contentType(ContentType.JSON)
        .body(body)
        .put(path)
        .then()
        .statusCode(403);
    String admin = data.account(Role.ADMIN).token();
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(body)
        .put(path)
        .then()
        .statusCode(200)
        .body("role", equalTo("MENTOR"));
    // a role change ends the user's sessions: the next login carries the new role
    given().auth().oauth2(target.token()).get("/api/auth/me").then().statusCode(401);
    given()
        .auth()
        .oauth2(data.newSession(target, Role.MENTOR).token())
        .get("/api/auth/me")
        .then()
        .body("role", equalTo("MENTOR"));
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(Map.of("role", "GOD"))
        .put(path)
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(body)
        .put("/api/admin/users/999999999/role")
        .then()
        .statusCode(404);
  }

  private static int setRole(TestData.Account caller, long userId, Role role) {
    return given()
        .auth()
        .oauth2(caller.token())
        .contentType(ContentType.JSON)
        .body(Map.of("role", role.name()))
        .put("/api/admin/users/" + userId + "/role")
        .statusCode();
  }

  @Test
  void theLastAdminIsNeverDemoted() throws Exception {
    TestData.Account first = data.account(Role.ADMIN);
    // this test needs to be the only admin: demote the ones earlier tests made
    data.execute(
        "update users set role = 'MENTOR' where role = 'ADMIN' and id <> $1", Tuple.of(first.id()));
    assertThat(setRole(first, first.id(), Role.MENTOR)).isEqualTo(409);
    assertThat(setRole(first, first.id(), Role.STUDENT)).isEqualTo(409);

    TestData.Account second = data.account(Role.STUDENT);
    assertThat(setRole(first, second.id(), Role.ADMIN)).isEqualTo(200);
    second = data.newSession(second, Role.ADMIN); // the role change ended its sessions
    assertThat(setRole(first, first.id(), Role.STUDENT)).isEqualTo(200);
    assertThat(setRole(second, second.id(), Role.MENTOR)).isEqualTo(409);
    assertThat(data.count("select count(*) from users where role = 'ADMIN'")).isEqualTo(1);

    // two admins demoting each other at once: one of them stays
    TestData.Account third = data.account(Role.STUDENT);
    assertThat(setRole(second, third.id(), Role.ADMIN)).isEqualTo(200);
    TestData.Account thirdAdmin = data.newSession(third, Role.ADMIN);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      TestData.Account secondAdmin = second;
      Future<Integer> a = pool.submit(() -> setRole(secondAdmin, thirdAdmin.id(), Role.MENTOR));
      Future<Integer> b = pool.submit(() -> setRole(thirdAdmin, secondAdmin.id(), Role.MENTOR));
      assertThat(List.of(a.get(), b.get())).containsOnlyOnce(200);
    } finally {
      pool.shutdownNow();
    }
    assertThat(data.count("select count(*) from users where role = 'ADMIN'")).isEqualTo(1);
  }

  private long auditRowsBy(TestData.Account actor) {
    return data.count("select count(*) from audit_log where actor_id = $1", actor.id());
  }

  /**
   * A mentor assignment joins a mentor and a student: a role change that makes either something
   * else ends it, so a promoted student is no longer listed (with their address) as the old
   * mentor's active student nor open to them, and a demoted mentor keeps no students.
   */
  @Test
  void aRoleChangeEndsTheMentorAssignmentsTheNewRoleNoLongerFits() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account promoted = data.account(Role.STUDENT);
    TestData.Account staying = data.account(Role.STUDENT);
    data.assign(mentor.id(), promoted.id());
    data.assign(mentor.id(), staying.id());
    String students = "/api/mentors/" + mentor.id() + "/students";
    // cached before the change: the list must not outlive it
    given()
        .auth()
        .oauth2(mentor.token())
        .get(students)
        .then()
        .statusCode(200)
        .body("items.id", org.hamcrest.Matchers.hasItem((int) promoted.id()));

    assertThat(setRole(admin, promoted.id(), Role.MENTOR)).isEqualTo(200);
    List<Integer> listed =
        given()
            .auth()
            .oauth2(mentor.token())
            .get(students)
            .then()
            .statusCode(200)
            .extract()
            .path("items.id");
    assertThat(listed).containsExactly((int) staying.id());
    given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/users/" + promoted.id() + "/enrollments")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/students/" + promoted.id() + "/assessments")
        .then()
        .statusCode(403);

    assertThat(setRole(admin, mentor.id(), Role.STUDENT)).isEqualTo(200);
    assertThat(
            data.count(
                "select count(*) from mentor_assignments where mentor_id = $1 and active",
                mentor.id()))
        .isZero();
    given()
        .auth()
        .oauth2(staying.token())
        .get("/api/students/" + staying.id() + "/mentors")
        .then()
        .statusCode(200)
        .body("items", org.hamcrest.Matchers.empty());
  }

  @Test
  void aRoleChangeThatChangesNothingEndsNoSessionAndIsNotAudited() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account target = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    // warm the session cache, so an eviction would show
    Clients.fresh().auth().oauth2(target.token()).get("/api/auth/me").then().statusCode(200);

    for (TestData.Account same : List.of(target, admin)) {
      given()
          .auth()
          .oauth2(admin.token())
          .contentType(ContentType.JSON)
          .body(Map.of("role", "ADMIN"))
          .put("/api/admin/users/" + same.id() + "/role")
          .then()
          .statusCode(200)
          .body("id", equalTo((int) same.id()))
          .body("role", equalTo("ADMIN"));
    }
    assertThat(setRole(admin, mentor.id(), Role.MENTOR)).isEqualTo(200);
    Clients.fresh().auth().oauth2(target.token()).get("/api/auth/me").then().statusCode(200);
    Clients.fresh().auth().oauth2(admin.token()).get("/api/auth/me").then().statusCode(200);
    Clients.fresh().auth().oauth2(mentor.token()).get("/api/auth/me").then().statusCode(200);
    assertThat(data.count("select count(*) from sessions where user_id = $1", target.id()))
        .isEqualTo(1);
    assertThat(auditRowsBy(admin)).isZero();

    // a real change still acts and is audited
    assertThat(setRole(admin, mentor.id(), Role.STUDENT)).isEqualTo(200);
    Clients.fresh().auth().oauth2(mentor.token()).get("/api/auth/me").then().statusCode(401);
    assertThat(auditRowsBy(admin)).isEqualTo(1);
  }

  @Test
  void aDeletedAccountsRoleIsNeverChanged() {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account gone = data.account(Role.STUDENT);
    data.execute(
        "update users set password_hash = $2 where id = $1",
        Tuple.of(gone.id(), BcryptUtil.bcryptHash("a long pass phrase", 4)));
    given()
        .auth()
        .oauth2(gone.token())
        .contentType(ContentType.JSON)
        .body(Map.of("password", "a long pass phrase"))
        .delete("/api/users/me")
        .then()
        .statusCode(204);

    for (Role role : Role.values()) {
      given()
          .auth()
          .oauth2(admin.token())
          .contentType(ContentType.JSON)
          .body(Map.of("role", role.name()))
          .put("/api/admin/users/" + gone.id() + "/role")
          .then()
          .statusCode(404)
          .contentType("application/problem+json");
    }
    for (String action : new String[] {"enable", "disable"}) {
      given()
          .auth()
          .oauth2(admin.token())
          .post("/api/admin/users/" + gone.id() + "/" + action)
          .then()
          .statusCode(404)
          .contentType("application/problem+json");
    }
    assertThat(
            data.count("select count(*) from users where id = $1 and role = 'STUDENT'", gone.id()))
        .isEqualTo(1);
    assertThat(auditRowsBy(admin)).isZero();
  }
}
