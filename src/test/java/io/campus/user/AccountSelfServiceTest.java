package io.campus.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class AccountSelfServiceTest {

  @Inject TestData data;

  @Test
  void everyRoleRenamesItselfAndTheSessionShowsItAtOnce() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("displayName", "Nobody"))
        .patch("/api/users/me")
        .then()
        .statusCode(401);
    for (Role role : Role.values()) {
      TestData.Account account = data.account(role);
      // warm the cached session view first
      given().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(200);
      given()
          .auth()
          .oauth2(account.token())
          .contentType(ContentType.JSON)
          .body(Map.of("displayName", "  Grace " + role + "  "))
          .patch("/api/users/me")
          .then()
          .statusCode(200)
          .body("id", equalTo((int) account.id()))
          .body("displayName", equalTo("Grace " + role))
          .body("role", equalTo(role.name()));
      given()
          .auth()
          .oauth2(account.token())
          .get("/api/auth/me")
          .then()
          .statusCode(200)
          .body("displayName", equalTo("Grace " + role));
    }
  }

  @Test
  void badNamesAreProblems() {
    TestData.Account account = data.account(Role.STUDENT);
    for (Object bad :
        new Object[] {"", "   ", "\u2003", "x".repeat(101), "line\nbreak", Map.of()}) {
      given()
          .auth()
          .oauth2(account.token())
          .contentType(ContentType.JSON)
          .body(Map.of("displayName", bad))
          .patch("/api/users/me")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    given()
        .auth()
        .oauth2(account.token())
        .contentType(ContentType.JSON)
        .body("{}")
        .patch("/api/users/me")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }
}
