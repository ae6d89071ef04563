package io.campus.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.awaitility.Awaitility;

/** Background jobs through the admin API, as an operator runs them. */
public final class Jobs {

  private Jobs() {}

  /** Starts a run of the job and waits until it is no longer RUNNING; returns the finished run. */
  public static JsonPath runAndWait(String adminToken, String job) {
    long id =
        given()
            .auth()
            .oauth2(adminToken)
            .post("/api/admin/jobs/" + job + "/runs")
            .then()
            .statusCode(202)
            .body("job", equalTo(job))
            .extract()
            .jsonPath()
            .getLong("id");
    JsonPath[] run = new JsonPath[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              run[0] =
                  given()
                      .auth()
                      .oauth2(adminToken)
                      .get("/api/admin/jobs/runs/" + id)
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              return !"RUNNING".equals(run[0].getString("status"));
            });
    return run[0];
  }
}
