package io.campus.testsupport;

import static io.restassured.RestAssured.given;

import io.campus.platform.common.Problem;
import java.util.List;

/** Role checks of the endpoints, as the role-matrix tests state them. */
public final class Access {

  private Access() {}

  /** Each account gets 403 problem+json for a GET of the path. */
  public static void assertForbidden(String path, List<TestData.Account> accounts) {
    for (TestData.Account account : accounts) {
      given()
          .auth()
          .oauth2(account.token())
          .get(path)
          .then()
          .statusCode(403)
          .contentType(Problem.MEDIA_TYPE);
    }
  }

  /** Each account gets 403 problem+json for a POST of the JSON body to the path. */
  public static void assertForbiddenPost(
      String path, Object body, List<TestData.Account> accounts) {
    for (TestData.Account account : accounts) {
      given()
          .auth()
          .oauth2(account.token())
          .contentType(io.restassured.http.ContentType.JSON)
          .body(body)
          .post(path)
          .then()
          .statusCode(403)
          .contentType(Problem.MEDIA_TYPE);
    }
  }
}
