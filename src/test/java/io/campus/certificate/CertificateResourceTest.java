package io.campus.certificate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.campus.platform.common.Problem;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class CertificateResourceTest {

  @Inject TestData data;
  @Inject Pool pool;

  private static Map<String, Object> rules(
      String name, Integer minProgress, Integer minAssessments, Integer minAverageScore) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("minProgress", minProgress);
    body.put("minAssessments", minAssessments);
    body.put("minAverageScore", minAverageScore);
    return body;
  }

  private Response define(String token, long courseId, Map<String, Object> rules) {
    var request = given().contentType(ContentType.JSON).body(rules);
    if (token != null) {
      request.auth().oauth2(token);
    }
    return request.put("/api/admin/courses/" + courseId + "/certification");
  }

  /** A published course with a certification defined straight in the database. */
  private long certifiedCourse(
      long instructorId, int minProgress, int minAssessments, int minAverageScore) {
    long courseId = data.publishedCourse(instructorId, 2).id();
    data.execute(
        "insert into certifications (course_id, name, min_progress, min_assessments,"
            + " min_average_score) values ($1, 'Certified tester', $2, $3, $4)",
        Tuple.of(courseId, minProgress, minAssessments, minAverageScore));
    return courseId;
  }

  private static int dashboardCertificates(TestData.Account holder) {
    return given()
        .auth()
        .oauth2(holder.token())
        .get("/api/dashboard")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("certificates")
        .size();
  }

  private void progress(long userId, long courseId, int percent) {
    data.execute(
        "update enrollments set progress_percent = $3 where user_id = $1 and course_id = $2",
        Tuple.of(userId, courseId, percent));
  }

  private void assess(long studentId, long mentorId, long courseId, int... scores) {
    for (int score : scores) {
      data.execute(
          "insert into assessments (student_id, mentor_id, course_id, skill, score, feedback,"
              + " assessed_on) values ($1, $2, $3, $4, $5, 'ok', current_date)",
          Tuple.from(List.of(studentId, mentorId, courseId, TestData.unique("skill"), score)));
    }
  }

  private Response issue(TestData.Account who, long courseId) {
    return given()
        .auth()
        .oauth2(who.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", courseId))
        .post("/api/certificates");
  }

  private JsonPath eligibility(TestData.Account who, long courseId) {
    return given()
        .auth()
        .oauth2(who.token())
        .queryParam("courseId", courseId)
        .get("/api/certificates/eligibility")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private long certificates(long userId) {
    return data.count("select count(*) from user_certifications where user_id = $1", userId);
  }

  private long issuedEvents(long userId) {
    return data.count(
        "select count(*) from activity_events where user_id = $1 and type = 'CERTIFICATE_ISSUED'",
        userId);
  }

  @Test
  void onlyAdminsDefineCertificationRules() {
    TestData.Account mentor = data.account(Role.MENTOR);
    long courseId = data.publishedCourse(mentor.id(), 1).id();
    Map<String, Object> valid = rules("Tester", 80, 2, 70);
    assertThat(define(null, courseId, valid).statusCode()).isEqualTo(401);
    assertThat(define(data.account(Role.STUDENT).token(), courseId, valid).statusCode())
        .isEqualTo(403);
    assertThat(define(mentor.token(), courseId, valid).statusCode()).isEqualTo(403);
    assertThat(data.count("select count(*) from certifications where course_id = $1", courseId))
        .isZero();

    String admin = data.account(Role.ADMIN).token();
    for (Map<String, Object> bad :
        List.of(
            rules(" ", 80, 2, 70),
            rules("Tester", 101, 2, 70),
            rules("Tester", 80, -1, 70),
            rules("Tester", 80, 2, 101))) {
      define(admin, courseId, bad).then().statusCode(400).contentType("application/problem+json");
    }
    assertThat(data.count("select count(*) from certifications where course_id = $1", courseId))
        .isZero();

    define(admin, courseId, valid)
        .then()
        .statusCode(201)
        .body("courseId", equalTo((int) courseId))
        .body("name", equalTo("Tester"))
        .body("minProgress", equalTo(80))
        .body("minAssessments", equalTo(2))
        .body("minAverageScore", equalTo(70));
    // replacing keeps one certification; absent minimums take their defaults
    define(admin, courseId, rules("Tester II", null, null, null))
        .then()
        .statusCode(200)
        .body("name", equalTo("Tester II"))
        .body("minProgress", equalTo(100))
        .body("minAssessments", equalTo(0))
        .body("minAverageScore", equalTo(0));
    assertThat(data.count("select count(*) from certifications where course_id = $1", courseId))
        .isEqualTo(1);
    define(admin, 999_999_999L, valid).then().statusCode(404);
  }

  @Test
  void aCertificationNameWithControlOrBidiCharactersIsRefused() {
    long courseId = data.publishedCourse(data.account(Role.MENTOR).id(), 1).id();
    String admin = data.account(Role.ADMIN).token();
    for (String name :
        new String[] {"Certified\u202e tester", "Certified\r\ntester", "Certified\u009b tester"}) {
      define(admin, courseId, rules(name, 80, 2, 70))
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors.field", equalTo(List.of("name")));
    }
    assertThat(data.count("select count(*) from certifications where course_id = $1", courseId))
        .isZero();
  }

  @Test
  void eligibilityEvaluatesEveryRuleInOneStatement() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    long courseId = certifiedCourse(mentor.id(), 100, 2, 70);
    long otherCourse = data.publishedCourse(mentor.id(), 1).id();

    // not enrolled, no assessments
    JsonPath before = eligibility(student, courseId);
    assertThat(before.getBoolean("eligible")).isFalse();
    assertThat(before.getList("rules.rule", String.class))
        .containsExactly("COMPLETION", "ASSESSMENTS", "AVERAGE_SCORE");
    assertThat(before.getList("rules.met", Boolean.class)).containsExactly(false, false, false);
    assertThat(before.getString("rules[0].actual")).isNull();
    assertThat(before.getString("certificate")).isNull();

    data.enroll(student.id(), courseId);
    progress(student.id(), courseId, 50);
    assess(student.id(), mentor.id(), courseId, 90);
    assess(student.id(), mentor.id(), otherCourse, 10, 10); // another course's do not count
    JsonPath partly = eligibility(student, courseId);
    assertThat(partly.getBoolean("eligible")).isFalse();
    assertThat(partly.getInt("rules[0].actual")).isEqualTo(50);
    assertThat(partly.getInt("rules[1].actual")).isEqualTo(1);
    assertThat(partly.getDouble("rules[2].actual")).isEqualTo(90.0);
    assertThat(partly.getList("rules.met", Boolean.class)).containsExactly(false, false, true);

    progress(student.id(), courseId, 100);
    assess(student.id(), mentor.id(), courseId, 55);
    PgWireCounter.Counts counts =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(student.token())
                    .queryParam("courseId", courseId)
                    .get("/api/certificates/eligibility")
                    .then()
                    .statusCode(200)
                    .body("eligible", equalTo(true))
                    .body("rules[1].actual", equalTo(2))
                    .body("rules[2].actual", equalTo(72.5f))
                    .body("rules.met", equalTo(List.of(true, true, true))));
    // one statement; the session lookup is served by the cache
    assertThat(counts.statements()).isEqualTo(1);

    issue(student, courseId).then().statusCode(201);
    // everyone else's standing and certificate are their own
    for (Role role : Role.values()) {
      TestData.Account someone = data.account(role);
      JsonPath theirs = eligibility(someone, courseId);
      assertThat(theirs.getBoolean("eligible")).isFalse();
      assertThat(theirs.getString("certificate")).isNull();
      assertThat(theirs.getString("rules[0].actual")).isNull();
      issue(someone, courseId).then().statusCode(422);
      assertThat(certificates(someone.id())).isZero();
    }
    assertThat(certificates(student.id())).isEqualTo(1);

    given()
        .auth()
        .oauth2(student.token())
        .queryParam("courseId", otherCourse)
        .get("/api/certificates/eligibility")
        .then()
        .statusCode(404);
    for (String bad : new String[] {"", "abc", "-3", "0"}) {
      given()
          .auth()
          .oauth2(student.token())
          .queryParam("courseId", bad)
          .get("/api/certificates/eligibility")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    given()
        .queryParam("courseId", courseId)
        .get("/api/certificates/eligibility")
        .then()
        .statusCode(401);
  }

  @Test
  void aDraftCoursesCertificationIsAsUnknownAsNoneToOutsiders() {
    TestData.Account instructor = data.account(Role.MENTOR);
    long draft =
        data.course(instructor.id(), 2, "DRAFT", "testing", "BEGINNER", "Secret draft").id();
    data.execute(
        "insert into certifications (course_id, name, min_progress, min_assessments,"
            + " min_average_score) values ($1, 'Unannounced', 100, 3, 80)",
        Tuple.of(draft));
    long uncertified = data.publishedCourse(instructor.id(), 1).id();
    TestData.Account enrolled = data.account(Role.STUDENT);
    TestData.Account cancelled = data.account(Role.STUDENT);
    // enrolled while it was published; the draft stays theirs (the cancelled one left it)
    data.enroll(enrolled.id(), draft);
    data.enroll(cancelled.id(), draft);
    data.execute(
        "update enrollments set status = 'CANCELLED' where user_id = $1 and course_id = $2",
        Tuple.of(cancelled.id(), draft));

    for (TestData.Account outsider :
        List.of(data.account(Role.STUDENT), data.account(Role.MENTOR), cancelled)) {
      for (long courseId : new long[] {draft, uncertified}) {
        String eligibility =
            given()
                .auth()
                .oauth2(outsider.token())
                .queryParam("courseId", courseId)
                .get("/api/certificates/eligibility")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .extract()
                .body()
                .asString();
        assertThat(eligibility).doesNotContain("Unannounced");
        String issued =
            issue(outsider, courseId)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .extract()
                .body()
                .asString();
        assertThat(issued).doesNotContain("Unannounced").doesNotContain("ASSESSMENTS");
      }
      assertThat(certificates(outsider.id())).isZero();
    }

    // the instructor, admins and the students still enrolled see it
    for (TestData.Account insider : List.of(instructor, data.account(Role.ADMIN), enrolled)) {
      JsonPath standing = eligibility(insider, draft);
      assertThat(standing.getString("name")).isEqualTo("Unannounced");
      assertThat(standing.getBoolean("eligible")).isFalse();
      issue(insider, draft)
          .then()
          .statusCode(422)
          .body("errors.field", equalTo(List.of("COMPLETION", "ASSESSMENTS", "AVERAGE_SCORE")));
    }
  }

  /**
   * An archived course is off the catalogue and hidden like a draft: to anyone but its instructor,
   * admins and its students, eligibility and issue answer exactly as for a course id that does not
   * exist, never with its title or rules.
   */
  @Test
  void anArchivedCoursesCertificationIsAsUnknownAsAMissingCourseToOutsiders() {
    TestData.Account instructor = data.account(Role.MENTOR);
    long archived =
        data.course(instructor.id(), 2, "ARCHIVED", "testing", "BEGINNER", "Retired course").id();
    data.execute(
        "insert into certifications (course_id, name, min_progress, min_assessments,"
            + " min_average_score) values ($1, 'Retired certificate', 100, 3, 80)",
        Tuple.of(archived));
    long missing = data.count("select coalesce(max(id), 0) + 1000000 from courses");
    TestData.Account enrolled = data.account(Role.STUDENT);
    data.enroll(enrolled.id(), archived);

    for (TestData.Account outsider :
        List.of(data.account(Role.STUDENT), data.account(Role.MENTOR))) {
      Response eligibility =
          given()
              .auth()
              .oauth2(outsider.token())
              .queryParam("courseId", archived)
              .get("/api/certificates/eligibility");
      Response missingEligibility =
          given()
              .auth()
              .oauth2(outsider.token())
              .queryParam("courseId", missing)
              .get("/api/certificates/eligibility");
      assertThat(eligibility.statusCode())
          .isEqualTo(missingEligibility.statusCode())
          .isEqualTo(404);
      assertThat(eligibility.contentType()).isEqualTo("application/problem+json");
      assertThat(eligibility.body().asString())
          .isEqualTo(missingEligibility.body().asString())
          .doesNotContain("Retired");
      Response issued = issue(outsider, archived);
      Response missingIssued = issue(outsider, missing);
      assertThat(issued.statusCode()).isEqualTo(missingIssued.statusCode()).isEqualTo(404);
      assertThat(issued.body().asString())
          .isEqualTo(missingIssued.body().asString())
          .doesNotContain("Retired");
      assertThat(certificates(outsider.id())).isZero();
    }

    // the instructor, admins and its students still see it
    for (TestData.Account insider : List.of(instructor, data.account(Role.ADMIN), enrolled)) {
      JsonPath standing = eligibility(insider, archived);
      assertThat(standing.getString("name")).isEqualTo("Retired certificate");
      assertThat(standing.getBoolean("eligible")).isFalse();
    }
  }

  @Test
  void aRenamedCertificationShowsAtOnceOnItsHoldersCachedDashboards() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    String admin = data.account(Role.ADMIN).token();
    long courseId = certifiedCourse(mentor.id(), 100, 0, 0);
    data.enroll(student.id(), courseId);
    progress(student.id(), courseId, 100);
    issue(student, courseId).then().statusCode(201);
    String dashboardName = "certificates[0].name";
    given()
        .auth()
        .oauth2(student.token())
        .get("/api/dashboard")
        .then()
        .body(dashboardName, equalTo("Certified tester"));

    define(admin, courseId, rules("Certified engineer", 100, 0, 0)).then().statusCode(200);

    given()
        .auth()
        .oauth2(student.token())
        .get("/api/dashboard")
        .then()
        .body(dashboardName, equalTo("Certified engineer"));
  }

  /** Someone not enrolled is told to enroll, not that progress 0 falls short of 0. */
  @Test
  void aStudentNotEnrolledIsToldToEnrollFirst() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    long courseId = certifiedCourse(mentor.id(), 0, 0, 0);
    issue(student, courseId)
        .then()
        .statusCode(422)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors[0].field", equalTo("COMPLETION"))
        .body("errors[0].message", equalTo("requires enrolling in the course first"));
    assertThat(certificates(student.id())).isZero();
  }

  @Test
  void issuingIsIdempotentAndRechecksTheRules() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    long courseId = certifiedCourse(mentor.id(), 100, 1, 60);
    data.enroll(student.id(), courseId);
    progress(student.id(), courseId, 100);

    // assessment rule unmet: 422 naming it, nothing written
    issue(student, courseId)
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("errors.field", equalTo(List.of("ASSESSMENTS", "AVERAGE_SCORE")));
    assertThat(certificates(student.id())).isZero();
    assertThat(issuedEvents(student.id())).isZero();

    assess(student.id(), mentor.id(), courseId, 75);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", courseId))
        .post("/api/certificates")
        .then()
        .statusCode(401);
    PgWireCounter.Counts counts =
        Statements.count(() -> issue(student, courseId).then().statusCode(201));
    // one statement checking, inserting and recording the event (the session is cached)
    assertThat(counts.statements()).isEqualTo(1);

    JsonPath again = issue(student, courseId).then().statusCode(200).extract().jsonPath();
    JsonPath third = issue(student, courseId).then().statusCode(200).extract().jsonPath();
    assertThat(third.getLong("id")).isEqualTo(again.getLong("id"));
    assertThat(again.getString("verificationCode"))
        .isEqualTo(third.getString("verificationCode"))
        .matches("^[0-9A-HJKMNP-TV-Z]{16}$");
    assertThat(again.getLong("courseId")).isEqualTo(courseId);
    assertThat(again.getString("name")).isEqualTo("Certified tester");
    assertThat(again.getBoolean("revoked")).isFalse();
    assertThat(certificates(student.id())).isEqualTo(1);
    assertThat(issuedEvents(student.id())).isEqualTo(1);

    // eligibility now shows the certificate
    assertThat(eligibility(student, courseId).getLong("certificate.id"))
        .isEqualTo(again.getLong("id"));

    // an issued certificate stays issued when the rules get stricter
    data.execute(
        "update certifications set min_average_score = 99 where course_id = $1",
        Tuple.of(courseId));
    issue(student, courseId).then().statusCode(200).body("id", equalTo(again.getInt("id")));

    // bad input and unknown certification
    for (Object bad : new Object[] {-1, "x", 0}) {
      given()
          .auth()
          .oauth2(student.token())
          .contentType(ContentType.JSON)
          .body(Map.of("courseId", bad))
          .post("/api/certificates")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/certificates")
        .then()
        .statusCode(400);
    issue(student, data.publishedCourse(mentor.id(), 1).id()).then().statusCode(404);
    assertThat(certificates(student.id())).isEqualTo(1);
  }

  @Test
  void concurrentIssueRequestsWriteOneCertificate() throws Exception {
    TestData.Account mentor = data.account(Role.MENTOR);
    long courseId = certifiedCourse(mentor.id(), 50, 0, 0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 5; round++) {
        TestData.Account student = data.account(Role.STUDENT);
        data.enroll(student.id(), courseId);
        progress(student.id(), courseId, 60);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          calls.add(() -> issue(student, courseId));
        }
        List<Integer> statuses = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (Future<Response> f : pool.invokeAll(calls)) {
          Response response = f.get();
          statuses.add(response.statusCode());
          ids.add(response.jsonPath().getLong("id"));
        }
        assertThat(statuses).containsOnly(201, 200);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(certificates(student.id())).isEqualTo(1);
        assertThat(issuedEvents(student.id())).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCertificateIssuedByARequestInFlightIsReturnedNotIssuedAgain() throws Exception {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    long courseId = certifiedCourse(mentor.id(), 0, 0, 0);
    data.enroll(student.id(), courseId);
    String code = "RACE" + VerificationCodes.generate().substring(4);
    // Another request's insert, not yet committed when ours takes its snapshot: ours waits on it.
    SqlConnection other = pool.getConnection().await().indefinitely();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Transaction tx = other.begin().await().indefinitely();
      long id =
          other
              .preparedQuery(
                  "insert into user_certifications (user_id, certification_id, verification_code)"
                      + " select $1, id, $3 from certifications where course_id = $2 returning id")
              .execute(Tuple.of(student.id(), courseId, code))
              .await()
              .indefinitely()
              .iterator()
              .next()
              .getLong("id");
      Future<Response> response = executor.submit(() -> issue(student, courseId));
      long deadline = System.currentTimeMillis() + 10_000;
      while (data.count(
                  "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                      + " and query like '%insert into user_certifications%'")
              == 0
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      tx.commit().await().indefinitely();
      response
          .get()
          .then()
          .statusCode(200)
          .body("id", equalTo((int) id))
          .body("verificationCode", equalTo(code));
    } finally {
      executor.shutdownNow();
      other.close().await().indefinitely();
    }
    assertThat(certificates(student.id())).isEqualTo(1);
  }

  @Test
  void myCertificatesAreNewestFirstPaginatedAndPrivate() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    List<Long> issued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long courseId = certifiedCourse(mentor.id(), 0, 0, 0);
      data.enroll(student.id(), courseId);
      issued.add(
          issue(student, courseId).then().statusCode(201).extract().jsonPath().getLong("id"));
    }
    long revoked = issued.remove(2);
    data.execute("update user_certifications set revoked = true where id = $1", Tuple.of(revoked));
    java.util.Collections.reverse(issued);

    List<Long> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonPath page =
          given()
              .auth()
              .oauth2(student.token())
              .queryParam("limit", 3)
              .queryParam("cursor", cursor == null ? "" : cursor)
              .get("/api/certificates")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      seen.addAll(page.getList("items.id", Long.class));
      cursor = page.getString("next");
    } while (cursor != null);
    assertThat(seen).isEqualTo(issued);

    given().get("/api/certificates").then().statusCode(401);
    for (Role role : Role.values()) {
      given()
          .auth()
          .oauth2(data.account(role).token())
          .get("/api/certificates")
          .then()
          .statusCode(200)
          .body("items.size()", equalTo(0));
    }
    given()
        .auth()
        .oauth2(student.token())
        .queryParam("cursor", "bm90IGEgY3Vyc29y")
        .get("/api/certificates")
        .then()
        .statusCode(400);
  }

  @Test
  void anyoneVerifiesACodeWithoutATokenLookup() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    long courseId = certifiedCourse(mentor.id(), 0, 0, 0);
    data.enroll(student.id(), courseId);
    String code =
        issue(student, courseId).then().statusCode(201).extract().path("verificationCode");

    PgWireCounter.Counts cold =
        Statements.count(
            () -> given().get("/api/certificates/verify/" + code).then().statusCode(200));
    // no session lookup: the single verification statement, then served by the cache
    assertThat(cold.statements()).isEqualTo(1);
    PgWireCounter.Counts counts =
        Statements.count(
            () -> {
              JsonPath body =
                  given()
                      .get("/api/certificates/verify/" + code)
                      .then()
                      .statusCode(200)
                      .body("valid", equalTo(true))
                      .body("holderName", equalTo("Test STUDENT"))
                      .body("courseTitle", equalTo("Test course"))
                      .body("revoked", equalTo(false))
                      .extract()
                      .jsonPath();
              // nothing else about the holder
              assertThat(body.getMap("").keySet())
                  .containsExactlyInAnyOrder(
                      "valid", "holderName", "courseTitle", "issuedAt", "revoked");
            });
    assertThat(counts.statements()).isZero();
    // a token is not even looked up, and codes are case-insensitive
    String token = data.account(Role.STUDENT).token();
    PgWireCounter.Counts withToken =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(token)
                    .get("/api/certificates/verify/" + code.toLowerCase(java.util.Locale.ROOT))
                    .then()
                    .statusCode(200)
                    .body("valid", equalTo(true)));
    assertThat(withToken).isEqualTo(counts);

    given().get("/api/certificates/verify/0000000000000000").then().statusCode(404);
    PgWireCounter.Counts malformed =
        Statements.count(
            () -> {
              for (String bad : new String[] {"SHORT", code + "0", "IIIIIIIIIIIIIIII", "%20"}) {
                given()
                    .get("/api/certificates/verify/" + bad)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
              }
            });
    assertThat(malformed.statements()).isZero();
  }

  /** A course's new title shows on its certificates' (cached) verification at once. */
  @Test
  void aRenamedCourseShowsAtOnceOnACachedVerification() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    long courseId = certifiedCourse(mentor.id(), 0, 0, 0);
    data.enroll(student.id(), courseId);
    String verify =
        "/api/certificates/verify/"
            + issue(student, courseId).then().statusCode(201).extract().path("verificationCode");
    given().get(verify).then().statusCode(200).body("courseTitle", equalTo("Test course"));
    String slug =
        data.single("select slug from courses where id = $1", Tuple.of(courseId)).getString("slug");

    given()
        .auth()
        .oauth2(mentor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("title", "Renamed course", "category", "testing", "level", "BEGINNER"))
        .put("/api/courses/" + slug)
        .then()
        .statusCode(200);

    given().get(verify).then().statusCode(200).body("courseTitle", equalTo("Renamed course"));
  }

  @Test
  void onlyAdminsRevokeAndARevokedCertificateIsNotValid() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    long courseId = certifiedCourse(mentor.id(), 0, 0, 0);
    data.enroll(student.id(), courseId);
    JsonPath cert = issue(student, courseId).then().statusCode(201).extract().jsonPath();
    String path = "/api/admin/certificates/" + cert.getLong("id") + "/revoke";

    given().post(path).then().statusCode(401);
    for (TestData.Account who :
        List.of(student, data.account(Role.STUDENT), mentor, data.account(Role.MENTOR))) {
      given().auth().oauth2(who.token()).post(path).then().statusCode(403);
    }
    given()
        .get("/api/certificates/verify/" + cert.getString("verificationCode"))
        .then()
        .body("valid", equalTo(true));
    // The holder's dashboard is cached with the certificate on it.
    assertThat(dashboardCertificates(student)).isEqualTo(1);

    String admin = data.account(Role.ADMIN).token();
    given().auth().oauth2(admin).post(path).then().statusCode(200).body("revoked", equalTo(true));
    given().auth().oauth2(admin).post(path).then().statusCode(200).body("revoked", equalTo(true));
    given()
        .auth()
        .oauth2(admin)
        .post("/api/admin/certificates/999999999/revoke")
        .then()
        .statusCode(404);
    assertThat(
            data.count(
                "select count(*) from activity_events where user_id = $1"
                    + " and type = 'CERTIFICATE_REVOKED'",
                student.id()))
        .isEqualTo(1);

    given()
        .get("/api/certificates/verify/" + cert.getString("verificationCode"))
        .then()
        .statusCode(200)
        .body("valid", equalTo(false))
        .body("revoked", equalTo(true));
    given()
        .auth()
        .oauth2(student.token())
        .get("/api/certificates")
        .then()
        .body("items.size()", equalTo(0));
    assertThat(dashboardCertificates(student)).isZero();
    // a revoked certificate is not issued again
    issue(student, courseId).then().statusCode(409);
    assertThat(eligibility(student, courseId).getBoolean("certificate.revoked")).isTrue();
    assertThat(certificates(student.id())).isEqualTo(1);
    given()
        .auth()
        .oauth2(student.token())
        .queryParam("courseId", courseId)
        .get("/api/certificates/eligibility")
        .then()
        .body("certificate.id", equalTo(cert.getInt("id")))
        .body("certificate.verificationCode", equalTo(cert.getString("verificationCode")))
        .body("rules[2].actual", nullValue());
  }

  @Test
  void verificationIsCacheableForAMinuteAndRevalidationSeesARevocation() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    long courseId = certifiedCourse(mentor.id(), 0, 0, 0);
    data.enroll(student.id(), courseId);
    JsonPath cert = issue(student, courseId).then().statusCode(201).extract().jsonPath();
    String verify = "/api/certificates/verify/" + cert.getString("verificationCode");

    Response valid = given().get(verify);
    String control = valid.header("Cache-Control");
    int maxAge = Integer.parseInt(control.replaceAll(".*max-age=(\\d+).*", "$1"));
    assertThat(maxAge).isPositive().isLessThanOrEqualTo(60);
    assertThat(control).contains("must-revalidate").doesNotContain("private");
    String etag = valid.header("ETag");
    given().header("If-None-Match", etag).get(verify).then().statusCode(304);

    String admin = data.account(Role.ADMIN).token();
    given()
        .auth()
        .oauth2(admin)
        .post("/api/admin/certificates/" + cert.getLong("id") + "/revoke")
        .then()
        .statusCode(200);
    // a cache revalidating its copy learns of the revocation at once
    given()
        .header("If-None-Match", etag)
        .get(verify)
        .then()
        .statusCode(200)
        .body("valid", equalTo(false))
        .body("revoked", equalTo(true));
  }
}
