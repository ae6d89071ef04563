package io.campus.assessment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.nullValue;

import io.campus.platform.common.Problem;
import io.campus.testsupport.Access;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.PgWireCounter;
import io.campus.testsupport.Statements;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
class AssessmentResourceTest {

  @Inject TestData data;

  private static Map<String, Object> item(long studentId, String skill, Object score) {
    Map<String, Object> item = new HashMap<>();
    item.put("studentId", studentId);
    item.put("skill", skill);
    item.put("score", score);
    return item;
  }

  /** {@code count} valid items spread over the students, each with its own skill. */
  private static List<Map<String, Object>> items(List<TestData.Account> students, int count) {
    String prefix = TestData.unique("skill");
    List<Map<String, Object>> items = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      items.add(item(students.get(i % students.size()).id(), prefix + "-" + i, i % 101));
    }
    return items;
  }

  private static RequestSpecification as(TestData.Account who) {
    RequestSpecification spec = given().contentType(ContentType.JSON);
    return who == null ? spec : spec.auth().oauth2(who.token());
  }

  private static Response bulk(TestData.Account who, Object items, String key) {
    RequestSpecification spec = as(who).body(Map.of("items", items));
    if (key != null) {
      spec = spec.header("Idempotency-Key", key);
    }
    return spec.post("/api/assessments/bulk");
  }

  private List<TestData.Account> studentsOf(TestData.Account mentor, int count) {
    List<TestData.Account> students = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TestData.Account student = data.account(Role.STUDENT);
      data.assign(mentor.id(), student.id());
      students.add(student);
    }
    return students;
  }

  /** Rows of every table a submission writes. */
  private List<Long> writtenRows() {
    return List.of(
        data.count("select count(*) from assessments"),
        data.count("select count(*) from user_stats"),
        data.count("select coalesce(sum(assessments_received), 0) from user_stats"),
        data.count("select count(*) from activity_events"),
        data.count("select count(*) from user_achievements"),
        data.count("select count(*) from idempotency_keys"));
  }

  /** A 422's errors as "index:field", in order. */
  private static List<String> refusedItems(Response response) {
    var errors =
        response.then().statusCode(422).contentType(Problem.MEDIA_TYPE).extract().jsonPath();
    List<String> found = new ArrayList<>();
    for (int i = 0; i < errors.getList("errors").size(); i++) {
      found.add(
          errors.getInt("errors[" + i + "].index")
              + ":"
              + errors.getString("errors[" + i + "].field"));
    }
    return found;
  }

  @Test
  void bulkCostsTheSameStatementsForOneHundredOrAThousandItems() {
    TestData.Account mentor = data.account(Role.MENTOR);
    List<TestData.Account> students = studentsOf(mentor, 10);
    bulk(mentor, items(students, 1), TestData.unique("warm")).then().statusCode(201); // warm up

    Map<Integer, PgWireCounter.Counts> counts = new HashMap<>();
    for (int size : new int[] {1, 100, 1000}) {
      List<Map<String, Object>> items = items(students, size);
      String key = TestData.unique("key");
      counts.put(
          size,
          Statements.count(
              () ->
                  bulk(mentor, items, key)
                      .then()
                      .statusCode(201)
                      .body("created", equalTo(size))
                      .body("skipped", equalTo(0))
                      .body("assessments.size()", equalTo(size))));
    }
    // validation (with the idempotency key) + the insert; the session lookup is served by the cache
    assertThat(counts.get(1).statements()).isEqualTo(2);
    assertThat(counts.get(1).roundTrips()).isLessThanOrEqualTo(3);
    assertThat(counts.get(100)).isEqualTo(counts.get(1));
    assertThat(counts.get(1000)).isEqualTo(counts.get(1));

    assertThat(data.count("select count(*) from assessments where mentor_id = $1", mentor.id()))
        .isEqualTo(1 + 1 + 100 + 1000);
    long studentId = students.get(0).id();
    assertThat(
            data.count("select assessments_received from user_stats where user_id = $1", studentId))
        .isEqualTo(data.count("select count(*) from assessments where student_id = $1", studentId));
    assertThat(
            data.count(
                "select count(*) from activity_events where type = 'ASSESSED' and user_id = any($1)",
                (Object) students.stream().map(TestData.Account::id).toArray(Long[]::new)))
        .isEqualTo(1 + 1 + 100 + 1000);
  }

  @Test
  void bulkResponseListsTheCreatedAssessmentsInRequestOrderAndCountsSkippedOnes() {
    TestData.Account mentor = data.account(Role.MENTOR);
    List<TestData.Account> students = studentsOf(mentor, 2);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 1);
    data.enroll(students.get(1).id(), course.id());
    String day = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
    Map<String, Object> first = item(students.get(1).id(), "Listening", 70);
    first.put("courseId", course.id());
    first.put("feedback", "Good questions.");
    first.put("assessedOn", day);
    Map<String, Object> second = item(students.get(0).id(), "Speaking", 90);
    var created =
        bulk(mentor, List.of(first, second), null)
            .then()
            .statusCode(201)
            .body("created", equalTo(2))
            .body("skipped", equalTo(0))
            .body("assessments[0].studentId", equalTo((int) students.get(1).id()))
            .body("assessments[0].mentorId", equalTo((int) mentor.id()))
            .body("assessments[0].courseId", equalTo((int) course.id()))
            .body("assessments[0].skill", equalTo("Listening"))
            .body("assessments[0].score", equalTo(70))
            .body("assessments[0].feedback", equalTo("Good questions."))
            .body("assessments[0].assessedOn", equalTo(day))
            .body("assessments[1].courseId", nullValue())
            .body("assessments[1].feedback", equalTo(""))
            .body("assessments[1].assessedOn", equalTo(LocalDate.now(ZoneOffset.UTC).toString()))
            .extract()
            .jsonPath();
    // the stored response and the listing render an assessment identically
    var listed =
        given()
            .auth()
            .oauth2(mentor.token())
            .get("/api/students/" + students.get(1).id() + "/assessments")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(listed.getMap("items[0]")).isEqualTo(created.getMap("assessments[0]"));

    // the same evaluations again (no key): the natural key skips them
    Map<String, Object> third = item(students.get(0).id(), "Writing", 55);
    bulk(mentor, List.of(first, second, third), null)
        .then()
        .statusCode(201)
        .body("created", equalTo(1))
        .body("skipped", equalTo(2))
        .body("assessments.size()", equalTo(1))
        .body("assessments[0].skill", equalTo("Writing"));
    assertThat(
            data.count(
                "select assessments_received from user_stats where user_id = $1",
                students.get(0).id()))
        .isEqualTo(2);
  }

  @Test
  void invalidItemsAreAllReportedAtOnceAndNothingIsWritten() {
    TestData.Account mentor = data.account(Role.MENTOR);
    List<TestData.Account> students = studentsOf(mentor, 5);
    TestData.Account stranger = data.account(Role.STUDENT);
    List<Map<String, Object>> items = items(students, 100);
    items.get(7).put("score", 101);
    items.get(42).put("studentId", stranger.id());
    items.set(93, new HashMap<>(items.get(92)));
    List<Long> before = writtenRows();

    bulk(mentor, items, TestData.unique("key"))
        .then()
        .statusCode(422)
        .contentType(Problem.MEDIA_TYPE)
        .body("status", equalTo(422))
        .body("errors.size()", equalTo(3))
        .body("errors.index", equalTo(List.of(7, 42, 93)))
        .body("errors.field", equalTo(List.of("score", "studentId", "item")))
        .body("errors[2].message", containsString("item 92"));

    assertThat(writtenRows()).isEqualTo(before);
  }

  @Test
  void skillsAndFeedbackWithControlOrBidiCharactersAreRefusedByIndex() {
    TestData.Account mentor = data.account(Role.MENTOR);
    long id = studentsOf(mentor, 1).get(0).id();
    List<Object> items = new ArrayList<>();
    items.add(item(id, "Reading", 50)); // 0: valid
    items.add(item(id, "Spea\u202eking", 50)); // 1
    items.add(item(id, "Tab\tbed", 50)); // 2
    items.add(item(id, "Next\u0085line", 50)); // 3
    Map<String, Object> escape = item(id, "Writing", 50);
    escape.put("feedback", "Well done \u001b[31m");
    items.add(escape); // 4
    Map<String, Object> isolate = item(id, "Listening", 50);
    isolate.put("feedback", "Fine \u2068work\u2069");
    items.add(isolate); // 5
    Map<String, Object> lines = item(id, "Grammar", 50);
    lines.put("feedback", "Good.\n\tKeep practising.\r\n");
    items.add(lines); // 6: valid, free text keeps its lines
    List<Long> before = writtenRows();
    List<String> found = refusedItems(bulk(mentor, items, null));
    assertThat(found).containsExactly("1:skill", "2:skill", "3:skill", "4:feedback", "5:feedback");
    assertThat(writtenRows()).isEqualTo(before);
  }

  /**
   * A deleted account keeps its past records and gains no new ones: its mentor's assignment is
   * still on file, yet the student is gone.
   */
  @Test
  void aDeletedStudentCannotBeAssessed() {
    TestData.Account mentor = data.account(Role.MENTOR);
    List<TestData.Account> students = studentsOf(mentor, 2);
    data.deleted(students.get(1).id());
    List<Long> before = writtenRows();
    List<String> found =
        refusedItems(
            bulk(
                mentor,
                List.of(
                    item(students.get(0).id(), "Reading", 50),
                    item(students.get(1).id(), "Reading", 50)),
                null));
    assertThat(found).containsExactly("1:studentId");
    assertThat(writtenRows()).isEqualTo(before);
    // nor by an admin, who needs no assignment
    refusedItems(bulk(data.account(Role.ADMIN), List.of(item(students.get(1).id(), "R", 1)), null));
  }

  /**
   * A mentor's refusals do not tell staff accounts from ids nobody has: both are "no student"; an
   * admin still learns which it is.
   */
  @Test
  void aMentorLearnsNoRoleFromARefusal() {
    TestData.Account mentor = data.account(Role.MENTOR);
    long staff = data.account(Role.ADMIN).id();
    long nobody = 999_999_000L + (System.nanoTime() % 1000);
    List<Map<String, Object>> items =
        List.of(item(staff, "Reading", 1), item(nobody, "Reading", 1));
    var errors = bulk(mentor, items, null).then().statusCode(422).extract().jsonPath();
    assertThat(errors.getString("errors[0].message"))
        .isEqualTo(errors.getString("errors[1].message"))
        .isEqualTo("no student has this id");
    var detailed =
        bulk(data.account(Role.ADMIN), items, null).then().statusCode(422).extract().jsonPath();
    assertThat(detailed.getString("errors[0].message")).isEqualTo("is not a student");
  }

  @Test
  void assessedOnIsBetweenTheYear2000AndToday() {
    TestData.Account mentor = data.account(Role.MENTOR);
    long id = studentsOf(mentor, 1).get(0).id();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<String> refused =
        List.of(
            "0001-01-01",
            "1999-12-31",
            "-0001-01-01",
            today.plusDays(1).toString(),
            "9999-12-31",
            "+10000-01-01");
    List<Object> items = new ArrayList<>();
    for (String day : refused) {
      Map<String, Object> item = item(id, "Dating", 50);
      item.put("assessedOn", day);
      items.add(item);
    }
    List<Long> before = writtenRows();
    bulk(mentor, items, null)
        .then()
        .statusCode(422)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors.index", equalTo(List.of(0, 1, 2, 3, 4, 5)))
        .body("errors.field", everyItem(equalTo("assessedOn")))
        .body("errors.message", everyItem(containsString("2000-01-01")));
    as(mentor)
        .body(Map.of("studentId", id, "skill", "Dating", "score", 50, "assessedOn", "0001-01-01"))
        .post("/api/assessments")
        .then()
        .statusCode(422)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors.field", equalTo(List.of("assessedOn")));
    assertThat(writtenRows()).isEqualTo(before);

    Map<String, Object> first = item(id, "Dating", 50);
    first.put("assessedOn", "2000-01-01");
    Map<String, Object> last = item(id, "Dating", 60);
    last.put("assessedOn", today.toString());
    bulk(mentor, List.of(first, last), null).then().statusCode(201).body("created", equalTo(2));
  }

  @Test
  void everyRuleIsCheckedPerItem() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account unassigned = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    long id = student.id();
    List<Object> items = new ArrayList<>();
    items.add(item(id, "ok", 50)); // 0: valid
    items.add(item(id, "a", 101)); // 1
    items.add(item(id, "b", -1)); // 2
    items.add(item(id, "c", 85.5)); // 3
    items.add(item(id, "   ", 50)); // 4
    items.add(item(id, "x".repeat(121), 50)); // 5
    Map<String, Object> feedback = item(id, "d", 50);
    feedback.put("feedback", "f".repeat(4001));
    items.add(feedback); // 6
    Map<String, Object> future = item(id, "e", 50);
    future.put("assessedOn", LocalDate.now(ZoneOffset.UTC).plusDays(1).toString());
    items.add(future); // 7
    Map<String, Object> badDate = item(id, "f", 50);
    badDate.put("assessedOn", "2024-02-30");
    items.add(badDate); // 8
    items.add(item(999_999_999L, "g", 50)); // 9
    items.add(item(otherMentor.id(), "h", 50)); // 10
    items.add(item(unassigned.id(), "i", 50)); // 11
    Map<String, Object> course = item(id, "j", 50);
    course.put("courseId", 999_999_999L);
    items.add(course); // 12
    items.add(item(id, "ok", 60)); // 13: same natural key as 0
    items.add(null); // 14
    Map<String, Object> missing = new HashMap<>();
    missing.put("skill", "k");
    items.add(missing); // 15: no student, no score
    Map<String, Object> emoji = item(id, "\uD83D\uDE00".repeat(120), 50);
    items.add(emoji); // 16: 120 characters, valid

    Response refused = bulk(mentor, items, null);
    List<String> found = refusedItems(refused);
    assertThat(found)
        .containsExactly(
            "1:score",
            "2:score",
            "3:score",
            "4:skill",
            "5:skill",
            "6:feedback",
            "7:assessedOn",
            "8:assessedOn",
            "9:studentId",
            "10:studentId",
            "11:studentId",
            "12:courseId",
            "13:item",
            "14:item",
            "15:studentId",
            "15:score");
    assertThat(refused.jsonPath().getString("detail")).contains("15 of 17");
    assertThat(data.count("select count(*) from assessments where student_id = $1", id)).isZero();
  }

  @Test
  void retryWithTheSameKeyReplaysTheFirstResponseAndWritesNothing() {
    TestData.Account mentor = data.account(Role.MENTOR);
    List<TestData.Account> students = studentsOf(mentor, 3);
    List<Map<String, Object>> items = items(students, 20);
    String key = TestData.unique("retry");

    Response first = bulk(mentor, items, key);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.header("Idempotency-Replayed")).isNull();
    List<Long> after = writtenRows();

    PgWireCounter.Counts replayCost =
        Statements.count(
            () -> {
              Response again = bulk(mentor, items, key);
              assertThat(again.statusCode()).isEqualTo(201);
              assertThat(again.body().asString()).isEqualTo(first.body().asString());
              assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
            });
    assertThat(replayCost.statements()).isEqualTo(1);
    assertThat(writtenRows()).isEqualTo(after);

    // the same key for another request is refused
    List<Map<String, Object>> other = items(students, 20);
    bulk(mentor, other, key)
        .then()
        .statusCode(422)
        .contentType(Problem.MEDIA_TYPE)
        .body("detail", containsString("Idempotency-Key"));
    assertThat(writtenRows()).isEqualTo(after);

    // keys belong to their caller: another mentor's identical key is unrelated
    TestData.Account admin = data.account(Role.ADMIN);
    bulk(admin, other, key).then().statusCode(201).body("created", equalTo(20));

    // an expired key no longer answers: the request runs again and the natural key skips the rows
    data.execute(
        "update idempotency_keys set expires_at = now() - interval '1 second'"
            + " where user_id = $1 and key = $2",
        Tuple.of(mentor.id(), key));
    bulk(mentor, items, key)
        .then()
        .statusCode(201)
        .body("created", equalTo(0))
        .body("skipped", equalTo(20));
    bulk(mentor, items, key)
        .then()
        .statusCode(201)
        .header("Idempotency-Replayed", "true")
        .body("skipped", equalTo(20));
    assertThat(
            data.count(
                "select count(*) from idempotency_keys where user_id = $1 and key = $2",
                mentor.id(),
                key))
        .isEqualTo(1);
  }

  @Test
  void concurrentIdenticalRequestsWriteTheRowsOnce() throws Exception {
    TestData.Account mentor = data.account(Role.MENTOR);
    List<TestData.Account> students = studentsOf(mentor, 4);
    Long[] ids = students.stream().map(TestData.Account::id).toArray(Long[]::new);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 4; round++) {
        List<Map<String, Object>> items = items(students, 50);
        // with a key every caller gets the winner's response; without one the natural key still
        // keeps the rows single and the losers report them as skipped
        String key = round % 2 == 0 ? TestData.unique("race") : null;
        long assessmentsBefore =
            data.count("select count(*) from assessments where student_id = any($1)", (Object) ids);
        long statsBefore =
            data.count(
                "select coalesce(sum(assessments_received), 0) from user_stats where user_id = any($1)",
                (Object) ids);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          calls.add(() -> bulk(mentor, items, key));
        }
        List<Response> responses = new ArrayList<>();
        for (Future<Response> f : pool.invokeAll(calls)) {
          responses.add(f.get());
        }
        assertThat(responses).extracting(Response::statusCode).containsOnly(201);
        if (key != null) {
          assertThat(responses.stream().map(r -> r.body().asString()).distinct()).hasSize(1);
        } else {
          assertThat(responses.stream().mapToInt(r -> r.jsonPath().getInt("created")).sum())
              .isEqualTo(50);
        }
        assertThat(
                data.count(
                    "select count(*) from assessments where student_id = any($1)", (Object) ids))
            .isEqualTo(assessmentsBefore + 50);
        assertThat(
                data.count(
                    "select coalesce(sum(assessments_received), 0) from user_stats"
                        + " where user_id = any($1)",
                    (Object) ids))
            .isEqualTo(statsBefore + 50);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void singleAssessmentSharesTheRulesAndAwardsAchievements() {
    data.execute(
        "insert into achievements (code, name, rule_type, threshold)"
            + " values ('FIRST_ASSESSMENT', 'First assessment', 'ASSESSMENTS_RECEIVED', 1)"
            + " on conflict (code) do nothing",
        Tuple.tuple());
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    Map<String, Object> body = item(student.id(), "Algebra", 88);
    as(mentor).body(body).post("/api/assessments").then().statusCode(201); // warm up
    Map<String, Object> next = item(student.id(), "Geometry", 77);
    PgWireCounter.Counts cost =
        Statements.count(
            () ->
                as(mentor)
                    .body(next)
                    .post("/api/assessments")
                    .then()
                    .statusCode(201)
                    .body("skill", equalTo("Geometry"))
                    .body("score", equalTo(77))
                    .body("studentId", equalTo((int) student.id())));
    assertThat(cost.statements()).isEqualTo(2);
    assertThat(cost.roundTrips()).isLessThanOrEqualTo(3);

    as(mentor)
        .body(body)
        .post("/api/assessments")
        .then()
        .statusCode(409)
        .contentType(Problem.MEDIA_TYPE);
    as(mentor)
        .body(item(student.id(), "Algebra", 101))
        .post("/api/assessments")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("score"))
        .body("errors[0].index", nullValue());

    assertThat(
            data.count(
                "select assessments_received from user_stats where user_id = $1", student.id()))
        .isEqualTo(2);
    assertThat(
            data.count(
                "select count(*) from user_achievements ua join achievements a"
                    + " on a.id = ua.achievement_id"
                    + " where ua.user_id = $1 and a.code = 'FIRST_ASSESSMENT'",
                student.id()))
        .isEqualTo(1);
    assertThat(
            data.count(
                "select count(*) from activity_events where user_id = $1 and type = 'ASSESSED'",
                student.id()))
        .isEqualTo(2);
    assertThat(
            data.count(
                "select count(*) from activity_events"
                    + " where user_id = $1 and type = 'ACHIEVEMENT_AWARDED'",
                student.id()))
        .isEqualTo(1);

    // a single submission with a key replays its first answer, 409 included
    String key = TestData.unique("one");
    Map<String, Object> third = item(student.id(), "Calculus", 64);
    String created =
        as(mentor)
            .header("Idempotency-Key", key)
            .body(third)
            .post("/api/assessments")
            .then()
            .statusCode(201)
            .extract()
            .asString();
    as(mentor)
        .header("Idempotency-Key", key)
        .body(third)
        .post("/api/assessments")
        .then()
        .statusCode(201)
        .body(equalTo(created));
    // the bulk endpoint with the same key is a different request
    bulk(mentor, List.of(third), key).then().statusCode(422);
  }

  @Test
  void roleMatrixForSubmissions() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account otherStudent = data.account(Role.STUDENT);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account admin = data.account(Role.ADMIN);
    data.assign(mentor.id(), student.id());
    List<Object> items = List.of(item(student.id(), TestData.unique("skill"), 50));

    bulk(null, items, null).then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    bulk(student, items, null).then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    bulk(otherStudent, items, null).then().statusCode(403);
    bulk(otherMentor, items, null)
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("studentId"))
        .body("errors[0].message", equalTo("is not assigned to you"));
    bulk(mentor, items, null).then().statusCode(201).body("created", equalTo(1));
    bulk(admin, items, null)
        .then()
        .statusCode(201)
        .body("created", equalTo(1))
        .body("assessments[0].mentorId", equalTo((int) admin.id()));

    Map<String, Object> one = item(student.id(), TestData.unique("skill"), 50);
    as(null).body(one).post("/api/assessments").then().statusCode(401);
    as(student).body(one).post("/api/assessments").then().statusCode(403);
    as(otherStudent).body(one).post("/api/assessments").then().statusCode(403);
    as(otherMentor).body(one).post("/api/assessments").then().statusCode(422);
    as(mentor).body(one).post("/api/assessments").then().statusCode(201);
    as(admin).body(one).post("/api/assessments").then().statusCode(201);

    // an ended assignment ends the right to assess
    data.execute(
        "update mentor_assignments set active = false where mentor_id = $1", Tuple.of(mentor.id()));
    bulk(mentor, List.of(item(student.id(), TestData.unique("skill"), 50)), null)
        .then()
        .statusCode(422);
    assertThat(data.count("select count(*) from assessments where student_id = $1", student.id()))
        .isEqualTo(4);
  }

  private static Map<String, Object> item(long studentId, long courseId) {
    Map<String, Object> item = item(studentId, TestData.unique("skill"), 50);
    item.put("courseId", courseId);
    return item;
  }

  @Test
  void roleMatrixForAssessmentsAgainstACourse() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account assigned = data.account(Role.MENTOR);
    TestData.Account bystander = data.account(Role.MENTOR);
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account notEnrolled = data.account(Role.STUDENT);
    long published = data.publishedCourse(instructor.id(), 1).id();
    long draft = data.course(instructor.id(), 1, "DRAFT", "testing", "BEGINNER", "Draft").id();
    data.enroll(student.id(), published);
    data.enroll(student.id(), draft);
    data.assign(assigned.id(), student.id());
    data.assign(assigned.id(), notEnrolled.id());

    // who: the course's instructor, a mentor assigned to the student, an admin; nobody else
    for (TestData.Account who : List.of(instructor, assigned, admin)) {
      bulk(who, List.of(item(student.id(), published)), null)
          .then()
          .statusCode(201)
          .body("created", equalTo(1));
      as(who).body(item(student.id(), published)).post("/api/assessments").then().statusCode(201);
    }
    bulk(bystander, List.of(item(student.id(), published)), null)
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("studentId"))
        .body("errors[0].message", containsString("do not teach this course"));
    as(bystander)
        .body(item(student.id(), published))
        .post("/api/assessments")
        .then()
        .statusCode(422);
    Access.assertForbiddenPost(
        "/api/assessments/bulk",
        Map.of("items", List.of(item(student.id(), published))),
        List.of(student, notEnrolled));
    Access.assertForbiddenPost(
        "/api/assessments", item(student.id(), published), List.of(student, notEnrolled));

    // only for a student enrolled in the course
    for (TestData.Account who : List.of(instructor, assigned, admin)) {
      bulk(who, List.of(item(notEnrolled.id(), published)), null)
          .then()
          .statusCode(422)
          .body("errors[0].field", equalTo("courseId"))
          .body("errors[0].message", equalTo("the student is not enrolled in it"));
    }

    // never for a draft: its instructor and admins learn why, others do not learn it exists
    for (TestData.Account who : List.of(instructor, admin)) {
      bulk(who, List.of(item(student.id(), draft)), null)
          .then()
          .statusCode(422)
          .body("errors[0].field", equalTo("courseId"))
          .body("errors[0].message", containsString("draft"));
      as(who).body(item(student.id(), draft)).post("/api/assessments").then().statusCode(422);
    }
    bulk(assigned, List.of(item(student.id(), draft)), null)
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("courseId"))
        .body("errors[0].message", equalTo("no course has this id"));

    // an archived course: assessable for the students still enrolled in it; to a mentor who may
    // not open it, an id without such a student is as unknown as one nobody has
    long archived =
        data.course(instructor.id(), 1, "ARCHIVED", "testing", "BEGINNER", "Retired").id();
    long unknown = archived + 1_000_000;
    data.enroll(student.id(), archived);
    bulk(assigned, List.of(item(student.id(), archived)), null).then().statusCode(201);
    for (long course : List.of(archived, unknown)) {
      bulk(assigned, List.of(item(notEnrolled.id(), course)), null)
          .then()
          .statusCode(422)
          .body("errors[0].field", equalTo("courseId"))
          .body("errors[0].message", equalTo("no course has this id"));
    }
    for (TestData.Account who : List.of(instructor, admin)) {
      bulk(who, List.of(item(notEnrolled.id(), archived)), null)
          .then()
          .statusCode(422)
          .body("errors[0].message", equalTo("the student is not enrolled in it"));
    }

    assertThat(data.count("select count(*) from assessments where course_id = $1", published))
        .isEqualTo(6);
    assertThat(data.count("select count(*) from assessments where course_id = $1", draft)).isZero();
    assertThat(
            data.count("select count(*) from assessments where student_id = $1", notEnrolled.id()))
        .isZero();
  }

  @Test
  void courseRulesKeepTheSubmissionAtTwoStatements() {
    TestData.Account mentor = data.account(Role.MENTOR);
    List<TestData.Account> students = studentsOf(mentor, 10);
    long course = data.publishedCourse(data.account(Role.MENTOR).id(), 1).id();
    students.forEach(s -> data.enroll(s.id(), course));
    bulk(mentor, List.of(item(students.get(0).id(), course)), null).then().statusCode(201);

    Map<Integer, PgWireCounter.Counts> counts = new HashMap<>();
    for (int size : new int[] {1, 100, 1000}) {
      List<Map<String, Object>> items = items(students, size);
      items.forEach(i -> i.put("courseId", course));
      counts.put(
          size,
          Statements.count(
              () ->
                  bulk(mentor, items, null).then().statusCode(201).body("created", equalTo(size))));
    }
    assertThat(counts.get(1).statements()).isEqualTo(2);
    assertThat(counts.get(100)).isEqualTo(counts.get(1));
    assertThat(counts.get(1000)).isEqualTo(counts.get(1));
  }

  @Test
  void roleMatrixForListings() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account otherStudent = data.account(Role.STUDENT);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account otherMentor = data.account(Role.MENTOR);
    TestData.Account admin = data.account(Role.ADMIN);
    data.assign(mentor.id(), student.id());
    data.assign(otherMentor.id(), otherStudent.id());
    bulk(mentor, List.of(item(student.id(), "Reading", 70)), null).then().statusCode(201);
    bulk(otherMentor, List.of(item(otherStudent.id(), "Reading", 60)), null).then().statusCode(201);

    String ofStudent = "/api/students/" + student.id() + "/assessments";
    given().get(ofStudent).then().statusCode(401);
    for (TestData.Account allowed : List.of(student, mentor, admin)) {
      given()
          .auth()
          .oauth2(allowed.token())
          .get(ofStudent)
          .then()
          .statusCode(200)
          .body("items.size()", equalTo(1))
          .body("items[0].score", equalTo(70));
    }
    Access.assertForbidden(ofStudent, List.of(otherStudent, otherMentor));
    given()
        .auth()
        .oauth2(admin.token())
        .get("/api/students/999999999/assessments")
        .then()
        .statusCode(404);

    String ofMentor = "/api/mentors/" + mentor.id() + "/assessments";
    given().get(ofMentor).then().statusCode(401);
    for (TestData.Account allowed : List.of(mentor, admin)) {
      given()
          .auth()
          .oauth2(allowed.token())
          .get(ofMentor)
          .then()
          .statusCode(200)
          .body("items.size()", equalTo(1))
          .body("items[0].studentId", equalTo((int) student.id()));
    }
    Access.assertForbidden(ofMentor, List.of(student, otherStudent, otherMentor));
    given()
        .auth()
        .oauth2(admin.token())
        .get("/api/mentors/999999999/assessments")
        .then()
        .statusCode(404);

    // a mentor whose assignment ended no longer reads the student
    data.execute(
        "update mentor_assignments set active = false where mentor_id = $1", Tuple.of(mentor.id()));
    given().auth().oauth2(mentor.token()).get(ofStudent).then().statusCode(403);
  }

  /**
   * A student's assessments name their course for a mentor only where the mentor may open it: one
   * recorded while the course was published keeps its score for the student's mentors, but not the
   * id of a course unpublished or archived since (the same as an assessment without a course). The
   * student and admins see every course id.
   */
  @Test
  void aMentorSeesTheCourseOfTheirStudentsAssessmentsOnlyWhereTheyMayOpenIt() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account instructor = data.account(Role.MENTOR);
    data.assign(mentor.id(), student.id());
    TestData.CourseStates states = data.courseStates(instructor.id(), mentor.id());
    List<Long> courses = states.all();
    for (long course : courses) {
      data.enroll(student.id(), course);
      // recorded by the instructor while the course was published
      data.execute(
          "insert into assessments (student_id, mentor_id, course_id, skill, score, assessed_on)"
              + " values ($1, $2, $3, $4, 80, current_date)",
          Tuple.of(student.id(), instructor.id(), course, "skill-" + course));
    }
    String path = "/api/students/" + student.id() + "/assessments";

    for (TestData.Account trusted : List.of(student, data.account(Role.ADMIN))) {
      assertThat(courseBySkill(trusted, path))
          .containsOnlyKeys(courses.stream().map(c -> "skill-" + c).toList())
          .allSatisfy((skill, course) -> assertThat(skill).isEqualTo("skill-" + course));
    }
    courseBySkill(mentor, path); // warm up
    List<Map<String, Long>> seen = new ArrayList<>();
    PgWireCounter.Counts counts = Statements.count(() -> seen.add(courseBySkill(mentor, path)));
    Map<String, Long> expected = new HashMap<>();
    expected.put("skill-" + states.published(), states.published());
    expected.put("skill-" + states.draft(), null);
    expected.put("skill-" + states.archived(), null);
    expected.put("skill-" + states.ownDraft(), states.ownDraft());
    assertThat(seen.get(0)).isEqualTo(expected);
    assertThat(counts.statements()).isEqualTo(1);
  }

  /** Each listed assessment's course id (null for none) by its skill. */
  private static Map<String, Long> courseBySkill(TestData.Account viewer, String path) {
    var page =
        given().auth().oauth2(viewer.token()).get(path).then().statusCode(200).extract().jsonPath();
    List<String> skills = page.getList("items.skill", String.class);
    List<Long> courses = page.getList("items.courseId", Long.class);
    Map<String, Long> bySkill = new HashMap<>();
    for (int i = 0; i < skills.size(); i++) {
      bySkill.put(skills.get(i), courses.get(i));
    }
    return bySkill;
  }

  @Test
  void listingsPaginateNewestFirstInOneStatement() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Map<String, Object> item = item(student.id(), "Skill " + (i % 2), 50 + i);
      item.put("assessedOn", today.minusDays(i / 2).toString());
      items.add(item);
    }
    bulk(mentor, items, null).then().statusCode(201).body("created", equalTo(7));
    String path = "/api/students/" + student.id() + "/assessments";
    given().auth().oauth2(student.token()).get(path).then().statusCode(200); // warm up

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    PgWireCounter.Counts firstPage = null;
    do {
      String current = cursor;
      var page = new io.restassured.path.json.JsonPath[1];
      PgWireCounter.Counts counts =
          Statements.count(
              () -> {
                var spec = given().auth().oauth2(student.token()).queryParam("limit", 3);
                if (current != null) {
                  spec = spec.queryParam("cursor", current);
                }
                page[0] = spec.get(path).then().statusCode(200).extract().jsonPath();
              });
      if (firstPage == null) {
        firstPage = counts;
      }
      assertThat(counts).isEqualTo(firstPage);
      List<String> dates = page[0].getList("items.assessedOn", String.class);
      List<Long> ids = page[0].getList("items.id", Long.class);
      for (int i = 0; i < ids.size(); i++) {
        seen.add(dates.get(i) + "/" + ids.get(i));
      }
      cursor = page[0].getString("next");
      pages++;
    } while (cursor != null);
    assertThat(firstPage.statements()).isEqualTo(1);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(7).doesNotHaveDuplicates();
    List<String> sorted = new ArrayList<>(seen);
    sorted.sort(
        (a, b) -> {
          String[] x = a.split("/");
          String[] y = b.split("/");
          int byDate = y[0].compareTo(x[0]);
          return byDate != 0 ? byDate : Long.compare(Long.parseLong(y[1]), Long.parseLong(x[1]));
        });
    assertThat(seen).isEqualTo(sorted);

    // the mentor's listing holds the same rows
    given()
        .auth()
        .oauth2(mentor.token())
        .queryParam("limit", 10)
        .get("/api/mentors/" + mentor.id() + "/assessments")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(7))
        .body("next", nullValue());
  }

  @Test
  void malformedRequestsAreProblems() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    as(mentor).post("/api/assessments/bulk").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    as(mentor)
        .body("{}")
        .post("/api/assessments/bulk")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("items"));
    bulk(mentor, List.of(), null).then().statusCode(400);
    List<Map<String, Object>> tooMany = items(List.of(student), 1001);
    bulk(mentor, tooMany, null)
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors[0].field", equalTo("items"))
        .body("errors[0].message", containsString("1000"));
    as(mentor)
        .body("{\"items\": [{\"studentId\": \"abc\", \"skill\": \"x\", \"score\": 1}]}")
        .post("/api/assessments/bulk")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE)
        .body("errors[0].field", equalTo("items[0].studentId"));
    as(mentor)
        .body("{\"items\": [")
        .post("/api/assessments/bulk")
        .then()
        .statusCode(400)
        .contentType(Problem.MEDIA_TYPE);
    as(mentor)
        .body("{\"items\": {\"studentId\": 1}}")
        .post("/api/assessments/bulk")
        .then()
        .statusCode(400);
    as(mentor).post("/api/assessments").then().statusCode(400);

    List<Object> valid = List.of(item(student.id(), "Keys", 10));
    bulk(mentor, valid, "k".repeat(201))
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("Idempotency-Key"));
    bulk(mentor, valid, "").then().statusCode(400);
    bulk(mentor, valid, "caf\u00e9").then().statusCode(400);
    assertThat(data.count("select count(*) from assessments where student_id = $1", student.id()))
        .isZero();
    bulk(mentor, valid, "k".repeat(200)).then().statusCode(201);

    for (String path :
        List.of(
            "/api/students/" + student.id() + "/assessments",
            "/api/mentors/" + mentor.id() + "/assessments")) {
      for (String query :
          List.of("limit=0", "limit=abc", "limit=101", "cursor=%25%25", "cursor=abc")) {
        given()
            .auth()
            .oauth2(mentor.token())
            .get(path + "?" + query)
            .then()
            .statusCode(400)
            .contentType(Problem.MEDIA_TYPE);
      }
    }
    given().auth().oauth2(mentor.token()).get("/api/students/0/assessments").then().statusCode(400);
  }

  @Test
  void singleReplaysRenderAsTheFirstAnswer() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    Map<String, Object> body = item(student.id(), "Replay", 70);
    body.put("feedback", "caf\u00e9 \uD83D\uDE00 \"quoted\"\n");
    body.put("assessedOn", LocalDate.now(ZoneOffset.UTC).minusDays(3).toString());
    String created = TestData.unique("one");
    String conflict = TestData.unique("dup");
    for (String key : List.of(created, conflict)) {
      Response first =
          as(mentor).header("Idempotency-Key", key).body(body).post("/api/assessments");
      Response again =
          as(mentor).header("Idempotency-Key", key).body(body).post("/api/assessments");
      assertThat(first.statusCode()).isEqualTo(key.equals(created) ? 201 : 409);
      assertThat(again.statusCode()).isEqualTo(first.statusCode());
      assertThat(again.contentType()).isEqualTo(first.contentType());
      assertThat(again.body().asString()).isEqualTo(first.body().asString());
      assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
    }
    // the listing renders the same row as the submission did
    Response first =
        as(mentor).header("Idempotency-Key", created).body(body).post("/api/assessments");
    given()
        .auth()
        .oauth2(mentor.token())
        .get("/api/students/" + student.id() + "/assessments")
        .then()
        .statusCode(200)
        .body("items[0].createdAt", equalTo(first.jsonPath().getString("createdAt")))
        .body("items[0].feedback", equalTo(body.get("feedback")));
  }

  @Test
  void recordsStoredAsResponseBodiesAreReplayedAsStored() {
    TestData.Account mentor = data.account(Role.MENTOR);
    List<TestData.Account> students = studentsOf(mentor, 1);
    List<Map<String, Object>> items = items(students, 2);
    String key = TestData.unique("old");
    bulk(mentor, items, key).then().statusCode(201);
    // what a record held before it stored rows: the response body as the database wrote it
    String stored =
        "{\"created\" : 2, \"skipped\" : 0, \"assessments\" : [{\"id\" : 1, \"createdAt\" :"
            + " \"2026-01-02T03:04:05.1Z\"}]}";
    data.execute(
        "update idempotency_keys set response = $3 where user_id = $1 and key = $2",
        Tuple.of(mentor.id(), key, stored));
    Response again = bulk(mentor, items, key);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
    assertThat(again.body().asString()).isEqualTo(stored);
  }
}
