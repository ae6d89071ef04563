package io.campus.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.campus.platform.common.Problem;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.TestData;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class AuthResourceTest {

  @Inject TestData data;
  @Inject MeterRegistry registry;

  private static final String PASSWORD = "correct horse battery";

  @Test
  void registerLoginMeLogout() {
    String email = TestData.unique("Reg") + "@Example.org";
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", PASSWORD, "displayName", "Ada"))
        .post("/api/auth/register")
        .then()
        .statusCode(202)
        .body("detail", notNullValue());

    String token =
        Clients.fresh()
            .contentType(ContentType.JSON)
            .body(Map.of("email", email.toUpperCase(), "password", PASSWORD))
            .post("/api/auth/login")
            .then()
            .statusCode(200)
            .body("token", notNullValue())
            .body("user.displayName", equalTo("Ada"))
            .body("user.email", equalTo(email.toLowerCase()))
            .body("user.role", equalTo("STUDENT"))
            // a bearer token must not be kept by any cache (RFC 6749 5.1)
            .header("Cache-Control", containsString("no-store"))
            .extract()
            .path("token");

    Clients.fresh()
        .auth()
        .oauth2(token)
        .get("/api/auth/me")
        .then()
        .statusCode(200)
        .body("displayName", equalTo("Ada"));
    // Only the hash of the token is stored.
    assertThat(
            data.count(
                "select count(*) from sessions where token_hash::text like $1", "%" + token + "%"))
        .isZero();

    Clients.fresh().auth().oauth2(token).post("/api/auth/logout").then().statusCode(204);
    Clients.fresh().auth().oauth2(token).get("/api/auth/me").then().statusCode(401);
  }

  @Test
  void aTakenEmailGetsTheSameAnswerWhateverItsCase() {
    String email = TestData.unique("dup") + "@example.org";
    Map<String, String> body = Map.of("email", email, "password", PASSWORD, "displayName", "A");
    String first =
        Clients.fresh()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/auth/register")
            .then()
            .statusCode(202)
            .extract()
            .asString();
    String second =
        Clients.fresh()
            .contentType(ContentType.JSON)
            .body(Map.of("email", email.toUpperCase(), "password", PASSWORD, "displayName", "B"))
            .post("/api/auth/register")
            .then()
            .statusCode(202)
            .extract()
            .asString();
    assertThat(second).isEqualTo(first);
    assertThat(data.count("select count(*) from users where lower(email) = $1", email))
        .isEqualTo(1);
  }

  @Test
  void wrongPasswordAndUnknownAccountAreTheSame401() {
    String email = TestData.unique("pw") + "@example.org";
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", PASSWORD, "displayName", "A"))
        .post("/api/auth/register")
        .then()
        .statusCode(202);
    String wrong =
        Clients.fresh()
            .contentType(ContentType.JSON)
            .body(Map.of("email", email, "password", "not the password"))
            .post("/api/auth/login")
            .then()
            .statusCode(401)
            .contentType("application/problem+json")
            .extract()
            .path("detail");
    String unknown =
        Clients.fresh()
            .contentType(ContentType.JSON)
            .body(Map.of("email", "nobody-" + email, "password", PASSWORD))
            .post("/api/auth/login")
            .then()
            .statusCode(401)
            .extract()
            .path("detail");
    assertThat(wrong).isEqualTo(unknown);
  }

  @Test
  void loginsAreCountedByOutcomeForTheFailedLoginAlert() {
    String email = TestData.unique("count") + "@example.org";
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", PASSWORD, "displayName", "C"))
        .post("/api/auth/register")
        .then()
        .statusCode(202);
    double failures = logins("failure");
    double successes = logins("success");
    for (String password : new String[] {"wrong password one", "wrong password two"}) {
      Clients.fresh()
          .contentType(ContentType.JSON)
          .body(Map.of("email", email, "password", password))
          .post("/api/auth/login")
          .then()
          .statusCode(401);
    }
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", PASSWORD))
        .post("/api/auth/login")
        .then()
        .statusCode(200);
    assertThat(logins("failure") - failures).isEqualTo(2.0);
    assertThat(logins("success") - successes).isEqualTo(1.0);
  }

  private double logins(String outcome) {
    return registry.counter("campus.auth.logins", "outcome", outcome).count();
  }

  @Test
  void weakPasswordsAreRefusedWithTheRuleTheyBreak() {
    Map<String, String> refused =
        Map.of(
            "kx7!vq2mzp4",
            "at least 12",
            "password1234",
            "too common",
            "monkeymonkey",
            "too common",
            "é".repeat(37),
            "72 bytes");
    refused.forEach(
        (password, rule) -> {
          String email = TestData.unique("weak") + "@test.campus";
          Clients.fresh()
              .contentType(ContentType.JSON)
              .body(Map.of("email", email, "password", password, "displayName", "W"))
              .post("/api/auth/register")
              .then()
              .statusCode(400)
              .contentType(Problem.MEDIA_TYPE)
              .body("errors.find { it.field == 'password' }.message", containsString(rule));
          assertThat(data.count("select count(*) from users where email = $1", email)).isZero();
        });
    // a multi-byte password within 72 bytes works end to end
    String email = TestData.unique("strong") + "@test.campus";
    String password = "🎓".repeat(12) + "x";
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password, "displayName", "S"))
        .post("/api/auth/register")
        .then()
        .statusCode(202);
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/api/auth/login")
        .then()
        .statusCode(200);
  }

  @Test
  void aPasswordThatIsTheAddressOrItsLocalPartIsRefusedAndNothingWritten() {
    String local = TestData.unique("ownaddress");
    String email = local + "@test.campus";
    for (String password :
        new String[] {email, email.toUpperCase(java.util.Locale.ROOT), local, " " + local}) {
      Clients.fresh()
          .contentType(ContentType.JSON)
          .body(Map.of("email", email, "password", password, "displayName", "Own"))
          .post("/api/auth/register")
          .then()
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("errors.field", org.hamcrest.Matchers.contains("password"))
          .body("errors[0].message", containsString("email address"));
    }
    assertThat(data.count("select count(*) from users where email = $1", email)).isZero();
  }

  @Test
  void invalidRegistrationListsEveryFieldAndWritesNothing() {
    long before = data.count("select count(*) from users");
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", "not-an-email", "password", "short"))
        .post("/api/auth/register")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("email"))
        .body("errors.field", hasItem("password"))
        .body("errors.field", hasItem("displayName"));
    assertThat(data.count("select count(*) from users")).isEqualTo(before);
  }

  @Test
  void badTokensAre401WithAChallenge() {
    Clients.fresh().get("/api/auth/me").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    Clients.fresh().auth().oauth2("forged").get("/api/auth/me").then().statusCode(401);
    Clients.fresh()
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .get("/api/auth/me")
        .then()
        .statusCode(401);
    Clients.fresh()
        .header("Authorization", "Bearer " + "x".repeat(5000))
        .get("/api/auth/me")
        .then()
        .statusCode(401);
  }

  @Test
  void expiredSessionIsRejectedEvenWhenCached() throws InterruptedException {
    TestData.Account account =
        data.account(io.campus.user.Role.STUDENT, java.time.Duration.ofMillis(1500));
    Clients.fresh().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(200);
    Thread.sleep(1600);
    Clients.fresh().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(401);
  }

  @Test
  void roleChangeEndsTheUsersSessionsEvenWhenCached() {
    TestData.Account account = data.account(io.campus.user.Role.STUDENT);
    Clients.fresh()
        .auth()
        .oauth2(account.token())
        .get("/api/auth/me")
        .then()
        .body("role", equalTo("STUDENT"));
    Clients.fresh()
        .auth()
        .oauth2(data.account(io.campus.user.Role.ADMIN).token())
        .contentType(ContentType.JSON)
        .body(Map.of("role", "MENTOR"))
        .put("/api/admin/users/" + account.id() + "/role")
        .then()
        .statusCode(200);
    Clients.fresh().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(401);
    assertThat(data.count("select count(*) from sessions where user_id = $1", account.id()))
        .isZero();
  }
}
