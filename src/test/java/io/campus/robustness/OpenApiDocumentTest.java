package io.campus.robustness;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document tells a newcomer what the service does: how to authenticate (a bearer scheme
 * Swagger UI's Authorize button can fill in), the success status each operation really answers
 * with, the problem+json failures every operation shares, and what {@code limit} accepts.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class OpenApiDocumentTest {

  private static final String PROBLEM = "application/problem+json";

  /** Operations answering something other than a plain 200: their documented success codes. */
  private static final Map<String, Set<String>> SUCCESS =
      Map.ofEntries(
          Map.entry("POST /api/auth/register", Set.of("202")),
          Map.entry("POST /api/auth/password-reset", Set.of("202")),
          Map.entry("POST /api/auth/confirm-email/resend", Set.of("202")),
          Map.entry("POST /api/auth/confirm-email", Set.of("204")),
          Map.entry("POST /api/auth/password-reset/confirm", Set.of("204")),
          Map.entry("POST /api/auth/password", Set.of("204")),
          Map.entry("POST /api/auth/logout", Set.of("204")),
          Map.entry("DELETE /api/auth/sessions", Set.of("204")),
          Map.entry("DELETE /api/auth/sessions/{sessionId}", Set.of("204")),
          Map.entry("DELETE /api/users/me", Set.of("204")),
          Map.entry("POST /api/courses", Set.of("201")),
          Map.entry("POST /api/enrollments", Set.of("201")),
          Map.entry("POST /api/admin/achievements", Set.of("201")),
          Map.entry("POST /api/admin/jobs/{job}/runs", Set.of("202")),
          Map.entry("PUT /api/admin/mentor-assignments", Set.of("200", "201")),
          Map.entry("PUT /api/admin/courses/{courseId}/certification", Set.of("200", "201")),
          Map.entry("POST /api/certificates", Set.of("200", "201")),
          Map.entry("POST /api/assessments", Set.of("201")),
          Map.entry("POST /api/assessments/bulk", Set.of("201")),
          Map.entry("DELETE /api/enrollments/{courseId}", Set.of("204")),
          Map.entry("DELETE /api/admin/mentor-assignments/{mentorId}/{studentId}", Set.of("204")),
          Map.entry("DELETE /api/courses/{slug}/lessons/{position}", Set.of("204")),
          Map.entry("PUT /api/courses/{slug}/lessons/order", Set.of("204")));

  @Inject TestData data;

  private ApiDescription api;

  @BeforeEach
  void fetch() {
    api =
        ApiDescription.parse(
            given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
  }

  @Test
  void everySecurityRequirementNamesADeclaredBearerScheme() {
    JsonNode schemes = api.document().path("components").path("securitySchemes");
    List<String> secured = new ArrayList<>();
    for (ApiDescription.Operation op : api.operations()) {
      for (JsonNode requirement : operation(op).path("security")) {
        requirement
            .fieldNames()
            .forEachRemaining(
                name -> {
                  JsonNode scheme = schemes.path(name);
                  assertThat(scheme.path("type").asText())
                      .as(op + " requires scheme '" + name + "': " + schemes)
                      .isEqualTo("http");
                  assertThat(scheme.path("scheme").asText()).as(name).isEqualTo("bearer");
                  secured.add(op.toString());
                });
      }
    }
    assertThat(secured).as("operations that need a token").hasSizeGreaterThan(40);
    assertThat(secured).contains("GET /api/auth/me", "POST /api/enrollments");
    assertThat(secured).doesNotContain("POST /api/auth/login", "GET /api/courses");
  }

  @Test
  void successCodesAreTheOnesAnswered() {
    Map<String, Set<String>> documented = new LinkedHashMap<>();
    for (ApiDescription.Operation op : api.operations()) {
      Set<String> codes = new TreeSet<>();
      operation(op).path("responses").fieldNames().forEachRemaining(codes::add);
      codes.removeIf(code -> !code.startsWith("2"));
      documented.put(op.toString(), codes);
    }
    SUCCESS.forEach(
        (op, codes) ->
            assertThat(documented.get(op)).as("success codes of " + op).isEqualTo(codes));
    documented.forEach(
        (op, codes) -> {
          if (!SUCCESS.containsKey(op)) {
            assertThat(codes).as("success codes of " + op).containsExactly("200");
          }
        });

    String email = TestData.unique("openapi") + "@test.campus";
    assertAnswered(
        documented,
        "POST /api/auth/register",
        Clients.fresh()
            .contentType(ContentType.JSON)
            .body(Map.of("email", email, "password", "correct horse battery", "displayName", "Ada"))
            .post("/api/auth/register")
            .statusCode());
    assertAnswered(
        documented,
        "POST /api/auth/password-reset",
        Clients.fresh()
            .contentType(ContentType.JSON)
            .body(Map.of("email", email))
            .post("/api/auth/password-reset")
            .statusCode());

    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account student = data.account(Role.STUDENT);
    String slug = TestData.unique("openapi").toLowerCase();
    assertAnswered(
        documented,
        "POST /api/courses",
        given()
            .auth()
            .oauth2(admin.token())
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "slug", slug,
                    "title", "Documented",
                    "category", "testing",
                    "level", "BEGINNER",
                    "lessons", List.of(Map.of("title", "One"))))
            .post("/api/courses")
            .statusCode());
    TestData.CourseFixture course = data.publishedCourse(admin.id(), 1);
    assertAnswered(
        documented,
        "POST /api/enrollments",
        given()
            .auth()
            .oauth2(student.token())
            .contentType(ContentType.JSON)
            .body(Map.of("courseId", course.id()))
            .post("/api/enrollments")
            .statusCode());
    assertAnswered(
        documented,
        "PUT /api/admin/mentor-assignments",
        given()
            .auth()
            .oauth2(admin.token())
            .contentType(ContentType.JSON)
            .body(Map.of("mentorId", data.account(Role.MENTOR).id(), "studentId", student.id()))
            .put("/api/admin/mentor-assignments")
            .statusCode());
    assertAnswered(
        documented,
        "POST /api/auth/logout",
        given().auth().oauth2(student.token()).post("/api/auth/logout").statusCode());
  }

  @Test
  void everyOperationDocumentsItsSharedFailuresAsProblems() {
    JsonNode problem = api.document().path("components").path("schemas").path("Problem");
    assertThat(problem.path("properties").fieldNames())
        .toIterable()
        .contains("type", "title", "status", "detail", "errors");
    for (ApiDescription.Operation op : api.operations()) {
      JsonNode responses = operation(op).path("responses");
      List<String> shared = new ArrayList<>(List.of("503"));
      if (!op.method().equals("GET") || op.path().equals("/api/courses/search")) {
        shared.add("429");
      }
      if (operation(op).has("security")) {
        shared.addAll(List.of("401", "403"));
      }
      if (op.hasBody()) {
        shared.addAll(List.of("400", "413", "415"));
      }
      if (!op.pathParams().isEmpty() || !op.queryParams().isEmpty()) {
        shared.add("400");
      }
      assertThat(responses.fieldNames()).toIterable().as(op.toString()).containsAll(shared);
      Iterator<Map.Entry<String, JsonNode>> all = responses.fields();
      while (all.hasNext()) {
        Map.Entry<String, JsonNode> response = all.next();
        if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
          assertThat(
                  response
                      .getValue()
                      .path("content")
                      .path(PROBLEM)
                      .path("schema")
                      .path("$ref")
                      .asText())
              .as(op + " " + response.getKey())
              .isEqualTo("#/components/schemas/Problem");
        }
      }
    }
  }

  @Test
  void limitParametersAreWholeNumbersFromOneToAHundred() {
    int limits = 0;
    for (ApiDescription.Operation op : api.operations()) {
      for (ApiDescription.Param param : op.queryParams()) {
        if (param.name().equals("limit")) {
          limits++;
          assertThat(param.schema().path("type").asText()).as(op + " limit").isEqualTo("integer");
          assertThat(param.schema().path("minimum").asInt()).as(op + " limit").isEqualTo(1);
          assertThat(param.schema().path("maximum").asInt()).as(op + " limit").isEqualTo(100);
        }
      }
    }
    assertThat(limits).as("listings with a limit").isGreaterThan(15);
    // still read as text, so a bad one is the 400 naming it rather than a generic conversion error
    given()
        .get("/api/courses?limit=0")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors[0].field", org.hamcrest.Matchers.equalTo("limit"));
  }

  private static void assertAnswered(Map<String, Set<String>> documented, String op, int status) {
    assertThat(documented.get(op))
        .as(op + " answered " + status + "; documented " + documented.get(op))
        .contains(String.valueOf(status));
  }

  private JsonNode operation(ApiDescription.Operation op) {
    return api.document()
        .path("paths")
        .path(op.path())
        .path(op.method().toLowerCase(java.util.Locale.ROOT));
  }
}
