package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every failure is an RFC 9457 document and never leaks internals. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class ErrorHandlingTest {

  @Inject TestData data;

  @Test
  void unknownPathIsProblem404() {
    Clients.fresh()
        .get("/api/no-such-thing")
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE)
        .body("status", equalTo(404));
  }

  @Test
  void malformedJsonIs400WithoutInternals() {
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body("{\"email\": ")
        .post("/api/auth/login")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body(not(containsString("jackson")))
        .body(not(containsString("Exception")));
  }

  @Test
  void wrongJsonTypesAre400NamingTheField() {
    String token = data.account(Role.STUDENT).token();
    Clients.fresh()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body("{\"courseId\": [1, 2]}")
        .post("/api/enrollments")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors[0].field", equalTo("courseId"));
  }

  /** A number or a boolean is not text: taken as "123" and "true", a login would run bcrypt. */
  @Test
  void numbersAndBooleansWhereTextIsExpectedAre400NamingTheField() {
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body("{\"email\": 123, \"password\": \"correct horse battery\"}")
        .post("/api/auth/login")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors[0].field", equalTo("email"));
    Clients.fresh()
        .contentType(ContentType.JSON)
        .body("{\"email\": \"someone@example.org\", \"password\": true}")
        .post("/api/auth/login")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors[0].field", equalTo("password"));
  }

  /** An unknown enum value in a body lists the accepted ones, as in a query parameter. */
  @Test
  void anUnknownValueOfAnEnumListsTheAcceptedOnes() {
    Clients.fresh()
        .auth()
        .oauth2(data.account(Role.MENTOR).token())
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "slug", TestData.unique("enum"),
                "title", "Levels",
                "category", "testing",
                "level", "EXPERT"))
        .post("/api/courses")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors[0].field", equalTo("level"))
        .body("errors[0].message", equalTo("must be one of BEGINNER, INTERMEDIATE, ADVANCED"));
  }

  /**
   * A value that breaks several rules of its field (a length limit and a format, say) is one error
   * for that field, with the most telling message, not one per rule.
   */
  @Test
  void eachInvalidFieldIsReportedOnce() {
    io.restassured.response.Response registration =
        Clients.fresh()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "email", "not-an-email",
                    "password", "x7" + "k".repeat(71),
                    "displayName", "Once"))
            .post("/api/auth/register");
    assertThat(registration.statusCode()).isEqualTo(400);
    assertThat(registration.jsonPath().getList("errors.field"))
        .as(registration.asString())
        .containsExactly("email", "password");
    assertThat(registration.jsonPath().getString("errors[1].message")).contains("72 bytes");

    Clients.fresh()
        .contentType(ContentType.JSON)
        .body(Map.of("email", "not-an-email"))
        .post("/api/auth/password-reset")
        .then()
        .statusCode(400)
        .body("errors.field", contains("email"));

    String mentor = data.account(Role.MENTOR).token();
    for (String slug : new String[] {"a".repeat(81), "", "Not A Slug"}) {
      io.restassured.response.Response course =
          Clients.fresh()
              .auth()
              .oauth2(mentor)
              .contentType(ContentType.JSON)
              .body(
                  Map.of(
                      "slug", slug,
                      "title", "Once",
                      "category", "testing",
                      "level", "BEGINNER"))
              .post("/api/courses");
      assertThat(course.statusCode()).as(slug).isEqualTo(400);
      assertThat(course.jsonPath().getList("errors.field"))
          .as(slug + ": " + course.asString())
          .containsExactly("slug");
    }
  }

  @Test
  void aMissingBodyIsNamedBody() {
    Clients.fresh()
        .auth()
        .oauth2(data.account(Role.STUDENT).token())
        .contentType(ContentType.JSON)
        .post("/api/enrollments")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors.field", contains("body"));
  }

  /**
   * A key given twice is ambiguous (parsers keep either one), a fraction where a whole number
   * belongs must not be truncated into another id, and content after the document (a second one, a
   * client's concatenation bug) must not be silently dropped: all are refused before anything is
   * written.
   */
  @Test
  void duplicateKeysFractionalIdsAndTrailingContentAre400() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course =
        data.course(data.account(Role.MENTOR).id(), 1, "PUBLISHED", "x", "BEGINNER", "Strict JSON");
    for (String body :
        new String[] {
          "{\"courseId\": " + course.id() + ", \"courseId\": " + course.id() + "}",
          "{\"courseId\": " + course.id() + ".5}",
          "{\"courseId\": " + course.id() + "} {\"courseId\": 1}",
          "{\"courseId\": " + course.id() + "} trailing"
        }) {
      Clients.fresh()
          .auth()
          .oauth2(student.token())
          .contentType(ContentType.JSON)
          .body(body)
          .post("/api/enrollments")
          .then()
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("title", equalTo("Malformed request body"));
    }
    assertThat(data.count("select count(*) from enrollments where user_id = $1", student.id()))
        .isZero();
  }

  /**
   * PostgreSQL cannot store or compare text with a NUL in it: such input is refused at the door,
   * naming the field, instead of costing a statement that fails with a nameless range error.
   */
  @Test
  void nulCharactersAre400NamingTheFieldWithoutAStatement() {
    PgWireCounter.Counts counts =
        Statements.count(
            () -> {
              Clients.fresh()
                  .contentType(ContentType.JSON)
                  .body(
                      "{\"email\": \"nul@example.com\", \"password\": \"a long passphrase 7\","
                          + " \"displayName\": \"a\\u0000b\"}")
                  .post("/api/auth/register")
                  .then()
                  .statusCode(400)
                  .contentType(Problem.MEDIA_TYPE)
                  .body("errors.field", contains("displayName"));
              Clients.fresh()
                  .urlEncodingEnabled(false)
                  .get("/api/courses/search?q=a%00b&limit=5")
                  .then()
                  .statusCode(400)
                  .contentType(Problem.MEDIA_TYPE)
                  .body("errors.field", contains("q"));
              Clients.fresh()
                  .urlEncodingEnabled(false)
                  .get("/api/courses/a%00b")
                  .then()
                  .statusCode(400)
                  .contentType(Problem.MEDIA_TYPE)
                  .body("errors.field", contains("path"));
            });
    assertThat(counts.statements()).isZero();
  }

  /**
   * Escapes for bytes that are not UTF-8 would be decoded into U+FFFD and searched for (or looked
   * up as a slug): refused instead, naming the parameter, or the path.
   */
  @Test
  void escapesThatAreNotUtf8Are400NamingTheFieldWithoutAStatement() {
    PgWireCounter.Counts counts =
        Statements.count(
            () -> {
              for (String query : new String[] {"q=%FF", "q=a%C3%28b", "limit=5&q=%E2%82"}) {
                Clients.fresh()
                    .urlEncodingEnabled(false)
                    .get("/api/courses/search?" + query)
                    .then()
                    .statusCode(400)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("errors.field", contains("q"))
                    .body("errors[0].message", equalTo("must be UTF-8 once percent-decoded"));
              }
              for (String path :
                  new String[] {"/api/courses/%FF", "/api/courses/a%C3%28b/lessons/1"}) {
                Clients.fresh()
                    .urlEncodingEnabled(false)
                    .get(path)
                    .then()
                    .statusCode(400)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("errors.field", contains("path"));
              }
            });
    assertThat(counts.statements()).isZero();
    // Well-formed multi-byte escapes are still taken.
    Clients.fresh()
        .urlEncodingEnabled(false)
        .get("/api/courses/search?q=caf%C3%A9")
        .then()
        .statusCode(200);
  }

  @Test
  void wrongMediaTypeIs415() {
    Clients.fresh()
        .contentType(ContentType.TEXT)
        .body("hello")
        .post("/api/auth/login")
        .then()
        .statusCode(415)
        .contentType(Problem.MEDIA_TYPE);
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    // Only the headers are sent: the server must refuse on Content-Length alone, at once.
    try (java.net.Socket socket =
        new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                      + "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String response =
          new String(
              socket.getInputStream().readNBytes(512), java.nio.charset.StandardCharsets.UTF_8);
      org.assertj.core.api.Assertions.assertThat(response)
          .startsWith("HTTP/1.1 413")
          .contains(Problem.MEDIA_TYPE);
    }
  }

  @Test
  void wrongMethodIs405() {
    Clients.fresh().delete("/api/courses").then().statusCode(405).contentType(Problem.MEDIA_TYPE);
  }

  /**
   * A number parameter given something else (or a number beyond its range) is a client error in
   * that parameter, not a missing resource: 400 naming it, as for a bad body field. A path no
   * resource serves stays 404.
   */
  @Test
  void wronglyTypedNumberParametersAre400NamingTheParameter() {
    String admin = data.account(Role.ADMIN).token();
    for (String id : new String[] {"abc", "1.5", "99999999999999999999"}) {
      Clients.fresh()
          .auth()
          .oauth2(admin)
          .contentType(ContentType.JSON)
          .body("{\"role\": \"MENTOR\"}")
          .put("/api/admin/users/" + id + "/role")
          .then()
          .statusCode(400)
          .contentType(Problem.MEDIA_TYPE)
          .body("errors.field", contains("userId"))
          .body(
              "errors[0].message",
              equalTo(id.length() > 10 ? "is out of range" : "must be a whole number"));
    }
    String slug = data.publishedCourse(data.account(Role.MENTOR).id(), 1).slug();
    Clients.fresh()
        .get("/api/courses/" + slug + "/lessons/first")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors.field", contains("position"));
    Clients.fresh()
        .auth()
        .oauth2(admin)
        .post("/api/admin/cache/warm?concurrency=many")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors.field", contains("concurrency"));
    Clients.fresh()
        .auth()
        .oauth2(admin)
        .get("/api/admin/users/abc/nothing")
        .then()
        .statusCode(404)
        .contentType(Problem.MEDIA_TYPE);
  }

  @Test
  void badPagingParametersAre400() {
    Clients.fresh()
        .get("/api/courses?limit=0")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("limit"));
    Clients.fresh().get("/api/courses?limit=abc").then().statusCode(400);
    Clients.fresh().get("/api/courses?limit=100000").then().statusCode(400);
    Clients.fresh().get("/api/courses?cursor=%%%").then().statusCode(400);
    Clients.fresh()
        .get("/api/courses?level=expert")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("level"));
    Clients.fresh().get("/api/courses?sort=random").then().statusCode(400);
  }
}
