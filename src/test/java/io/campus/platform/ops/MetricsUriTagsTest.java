package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * HTTP metrics are tagged with route templates whatever the outcome, so a client choosing paths
 * cannot grow the number of time series: a refused token, an unknown path and a wrong method all
 * land on bounded tags.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class MetricsUriTagsTest {

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

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("uri=\"/api/mentors/{mentorId}/students\"")
        .doesNotContain(Long.toString(id))
        .doesNotContain(Long.toString(id + 1))
        .doesNotContain(Long.toString(id + 2))
        .doesNotContain(Long.toString(id + 3))
        .doesNotContain(Long.toString(id + 4))
        .doesNotContain(Long.toString(id + 5));
    assertThat(
            metrics
                .lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count"))
                .filter(l -> l.contains("uri=\"/api/mentors/{mentorId}/students\""))
                .filter(l -> l.contains("status=\"401\"")))
        .as("401s on the mentor route counted under its template")
        .isNotEmpty();
  }
}
