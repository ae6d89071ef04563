package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * HTTP metrics are tagged with route templates whatever the outcome, so a client choosing paths
 * cannot grow the number of time series: a refused token, an unknown path and a wrong method all
 * land on bounded tags, and every answer from a route — refusals included — stays under that
 * route's template, where the dashboards and SLO rules (uri=~"/api/.*") count it.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class MetricsUriTagsTest {

  @Inject TestData data;

  @Test
  void failedRequestsAreTaggedWithTheRouteTemplateNotTheRawPath() {
    long id = 7_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
    given()
        .auth()
        .oauth2("not-a-valid-token")
        .get("/api/mentors/" + id + "/students")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", "Bearer");
    given().get("/api/mentors/" + (id + 1) + "/students").then().statusCode(401);
    given().delete("/api/courses/slug-" + (id + 2)).then().statusCode(405);
    given().get("/api/no-such-route-" + (id + 3)).then().statusCode(404);
    given().options("/api/admin/users/" + (id + 4) + "/role").then().statusCode(200);
    given().options("/api/courses/slug-" + (id + 5)).then().statusCode(200);

    String metrics = metrics();
    assertThat(metrics)
        .contains("uri=\"/api/mentors/{mentorId}/students\"")
        .doesNotContain(Long.toString(id))
        .doesNotContain(Long.toString(id + 1))
        .doesNotContain(Long.toString(id + 2))
        .doesNotContain(Long.toString(id + 3))
        .doesNotContain(Long.toString(id + 4))
        .doesNotContain(Long.toString(id + 5));
    assertThat(counted(metrics, "GET", "/api/mentors/{mentorId}/students", 401))
        .as("401s on the mentor route counted under its template")
        .isTrue();
    // no route: bounded placeholders, never the path
    assertThat(counted(metrics, "DELETE", "UNKNOWN", 405)).as("405 on no route").isTrue();
    assertThat(counted(metrics, "GET", "NOT_FOUND", 404)).as("404 on no path").isTrue();
  }

  /**
   * A route without path parameters has a template equal to its path; its refusals are still
   * counted under it, not under UNKNOWN or NOT_FOUND.
   */
  @Test
  void refusalsOnRoutesWithoutParametersKeepTheirTemplate() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 1);
    long missingCourse = 8_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);

    enroll("Bearer not-a-valid-token", course.id()).then().statusCode(401);
    enroll("Bearer " + student.token(), course.id()).then().statusCode(201);
    enroll("Bearer " + student.token(), course.id()).then().statusCode(409);
    // raised by the service, not for want of a route
    enroll("Bearer " + student.token(), missingCourse)
        .then()
        .statusCode(404)
        .body("detail", org.hamcrest.Matchers.containsString("No published course"));
    given().get("/api/courses?limit=0").then().statusCode(400);
    given().auth().oauth2(student.token()).get("/api/admin/audit").then().statusCode(403);
    // the account lock, answered by the login resource
    String nobody = TestData.unique("metrics-lock") + "@example.org";
    int status = 0;
    for (int i = 0; i < 10 && status != 429; i++) {
      status = login(nobody, address(), "wrong password " + i).statusCode();
    }
    assertThat(status).as("the login lock refuses").isEqualTo(429);

    String metrics = metrics();
    assertThat(counted(metrics, "POST", "/api/enrollments", 401)).as("401 enroll").isTrue();
    assertThat(counted(metrics, "POST", "/api/enrollments", 409)).as("409 enroll").isTrue();
    assertThat(counted(metrics, "POST", "/api/enrollments", 404)).as("404 enroll").isTrue();
    assertThat(counted(metrics, "GET", "/api/courses", 400)).as("400 list").isTrue();
    assertThat(counted(metrics, "GET", "/api/admin/audit", 403)).as("403 audit").isTrue();
    assertThat(counted(metrics, "POST", "/api/auth/login", 429)).as("429 login lock").isTrue();
    assertThat(metrics).doesNotContain(Long.toString(missingCourse)).doesNotContain(course.slug());
  }

  /**
   * Refusals before Quarkus REST picks a resource method (the per-client rate limit, the body
   * limit) are counted under the template of the route the request was for.
   */
  @Test
  void refusalsBeforeRoutingAreTaggedWithTheRouteTheyWereFor() {
    String client = address();
    int status = 0;
    for (int i = 0; i < 40 && status != 429; i++) {
      status = login("", client, "").statusCode();
    }
    assertThat(status).as("the per-client limit refuses").isEqualTo(429);
    given()
        .header("X-Forwarded-For", address())
        .contentType(ContentType.JSON)
        .body("{\"email\":\"" + "x".repeat(5000) + "\"}")
        .post("/api/auth/login")
        .then()
        .statusCode(413);

    String metrics = metrics();
    assertThat(counted(metrics, "POST", "/api/auth/login", 429)).as("429 rate limit").isTrue();
    assertThat(counted(metrics, "POST", "/api/auth/login", 413)).as("413 body").isTrue();
  }

  private static io.restassured.response.Response enroll(String authorization, long courseId) {
    return given()
        .header("Authorization", authorization)
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", courseId))
        .post("/api/enrollments");
  }

  private static io.restassured.response.Response login(
      String email, String client, String password) {
    return given()
        .header("X-Forwarded-For", client)
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/api/auth/login");
  }

  private static String address() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "10.95." + random.nextInt(250) + "." + random.nextInt(250);
  }

  private static String metrics() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** Whether the request counter has a series with these tags. */
  private static boolean counted(String metrics, String method, String uri, int status) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("http_server_requests_seconds_count{"))
        .anyMatch(
            l ->
                l.contains("method=\"" + method + "\"")
                    && l.contains("uri=\"" + uri + "\"")
                    && l.contains("status=\"" + status + "\""));
  }
}
