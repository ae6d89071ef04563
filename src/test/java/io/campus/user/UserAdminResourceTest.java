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
    given()
        .auth()
        .oauth2(target.token())
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
}
