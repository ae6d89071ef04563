package io.campus.auth;

import static io.restassured.RestAssured.given;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Who may call the account endpoints: anonymous, student, mentor and admin. Sessions are personal:
 * an admin cannot end a student's session either.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class AccountRoleMatrixTest {

  private static final AtomicInteger CLIENTS = new AtomicInteger();

  @Inject TestData data;

  private static void expect(
      TestData.Account who,
      int status,
      Function<RequestSpecification, io.restassured.response.Response> call) {
    int n = CLIENTS.incrementAndGet();
    RequestSpecification spec =
        (who == null ? given() : given().auth().oauth2(who.token()))
            .header("X-Forwarded-For", "10.78." + (n / 250) + "." + (n % 250 + 1))
            .contentType(ContentType.JSON);
    call.apply(spec).then().statusCode(status);
  }

  private List<TestData.Account> everyone() {
    return List.of(data.account(Role.STUDENT), data.account(Role.MENTOR), data.account(Role.ADMIN));
  }

  @Test
  void mySessions() {
    expect(null, 401, r -> r.get("/api/auth/sessions"));
    expect(null, 401, r -> r.delete("/api/auth/sessions"));
    expect(null, 401, r -> r.delete("/api/auth/sessions/1"));
    for (TestData.Account who : everyone()) {
      expect(who, 200, r -> r.get("/api/auth/sessions"));
    }

    TestData.Account owner = data.account(Role.STUDENT);
    long sessionId = data.count("select max(id) from sessions where user_id = $1", owner.id());
    for (TestData.Account who : everyone()) {
      expect(who, 404, r -> r.delete("/api/auth/sessions/" + sessionId));
    }
    expect(owner, 204, r -> r.delete("/api/auth/sessions/" + sessionId));

    for (TestData.Account who : everyone()) {
      expect(who, 204, r -> r.delete("/api/auth/sessions"));
      expect(who, 401, r -> r.get("/api/auth/sessions"));
    }
  }

  @Test
  void passwordChangeNeedsAUserAndTheirPassword() {
    Map<String, String> body =
        Map.of("currentPassword", "not the password", "newPassword", "a long new pass phrase");
    expect(null, 401, r -> r.body(body).post("/api/auth/password"));
    for (TestData.Account who : everyone()) {
      expect(who, 403, r -> r.body(body).post("/api/auth/password"));
    }
  }

  @Test
  void unauthenticatedAccountCallsAnswerEveryoneAlike() {
    List<TestData.Account> callers = new java.util.ArrayList<>(everyone());
    callers.add(null);
    for (TestData.Account who : callers) {
      String email = TestData.unique("matrix") + "@example.org";
      expect(
          who,
          202,
          r ->
              r.body(Map.of("email", email, "password", "a long pass phrase", "displayName", "M"))
                  .post("/api/auth/register"));
      expect(who, 202, r -> r.body(Map.of("email", email)).post("/api/auth/password-reset"));
      expect(
          who,
          400,
          r ->
              r.body(Map.of("token", "unknown", "newPassword", "a long new pass phrase"))
                  .post("/api/auth/password-reset/confirm"));
      expect(who, 400, r -> r.body(Map.of("token", "unknown")).post("/api/auth/confirm-email"));
    }
  }

  @Test
  void everyUserExportsAndDeletesOnlyTheirOwnAccount() {
    Map<String, String> wrong = Map.of("password", "not the password");
    expect(null, 401, r -> r.get("/api/users/me/export"));
    expect(null, 401, r -> r.body(wrong).delete("/api/users/me"));
    data.account(Role.ADMIN); // another enabled admin, so the one below may go
    for (TestData.Account who : everyone()) {
      data.execute(
          "update users set password_hash = $2 where id = $1",
          io.vertx.mutiny.sqlclient.Tuple.of(
              who.id(),
              io.quarkus.elytron.security.common.BcryptUtil.bcryptHash("the pass phrase", 4)));
      expect(who, 200, r -> r.get("/api/users/me/export"));
      expect(who, 403, r -> r.body(wrong).delete("/api/users/me"));
      expect(who, 204, r -> r.body(Map.of("password", "the pass phrase")).delete("/api/users/me"));
      expect(who, 401, r -> r.get("/api/users/me/export"));
    }
  }
}
