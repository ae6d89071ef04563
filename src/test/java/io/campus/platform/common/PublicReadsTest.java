package io.campus.platform.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.campus.certificate.CertificateResource;
import io.campus.course.CourseResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The public, conditionally cached reads (course catalogue and detail, certificate verification)
 * answer with JSON bytes rendered once per cached value. They declare that type, so Quarkus REST
 * picks their writer at build time instead of looking one up for every response, and they document
 * the JSON they send in the OpenAPI description.
 */
@QuarkusTest
class PublicReadsTest {

  private static final Map<String, String> SCHEMA_OF =
      Map.of(
          "/api/courses/{slug}", "CourseDetail",
          "/api/courses", "PageCourseSummary",
          "/api/courses/search", "PageCourseSummary",
          "/api/certificates/verify/{code}", "Verification");

  @Test
  void declareTheirBodyAsBytesSoTheWriterIsChosenAtBuildTime() {
    for (Method m : publicReads()) {
      assertThat(m.getGenericReturnType().getTypeName())
          .as(m.getDeclaringClass().getSimpleName() + "." + m.getName())
          .isEqualTo("io.smallrye.mutiny.Uni<org.jboss.resteasy.reactive.RestResponse<byte[]>>");
    }
  }

  @Test
  void documentTheJsonTheySend() throws Exception {
    JsonNode paths =
        new ObjectMapper()
            .readTree(
                given().get("/q/openapi?format=json").then().statusCode(200).extract().asString())
            .path("paths");
    SCHEMA_OF.forEach(
        (path, schema) -> {
          JsonNode json =
              paths
                  .path(path)
                  .path("get")
                  .path("responses")
                  .path("200")
                  .path("content")
                  .path("application/json");
          assertThat(json.path("schema").path("$ref").asText())
              .as("200 schema of GET " + path + ": " + json)
              .isEqualTo("#/components/schemas/" + schema);
        });
  }

  @Test
  void sendJsonAndTheirFailuresStayProblemDocuments() {
    given()
        .get("/api/courses?limit=1")
        .then()
        .statusCode(200)
        .contentType("application/json")
        .header("ETag", org.hamcrest.Matchers.startsWith("W/\""))
        .header("Cache-Control", org.hamcrest.Matchers.containsString("max-age=60"))
        .body("items", org.hamcrest.Matchers.notNullValue());
    given()
        .get("/api/courses/no-such-course-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", org.hamcrest.Matchers.is(404));
    given()
        .get("/api/courses/" + "x".repeat(81))
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .get("/api/certificates/verify/not-a-code")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  private static Method[] publicReads() {
    return Arrays.stream(
            new Method[][] {
              CourseResource.class.getDeclaredMethods(),
              CertificateResource.class.getDeclaredMethods()
            })
        .flatMap(Arrays::stream)
        .filter(m -> Arrays.asList("detail", "browse", "search", "verify").contains(m.getName()))
        .toArray(Method[]::new);
  }

  @Test
  void aCursorPastAnyTimeTheDatabaseStoresIsRefusedNotAFailure() {
    given()
        .queryParam(
            "cursor", Cursor.encode("browse:NEWEST:null:null", "+294277-01-02T00:00:00Z", 1L))
        .get("/api/courses")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
  }
}
