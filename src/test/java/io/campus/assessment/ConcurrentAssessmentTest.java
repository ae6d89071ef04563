package io.campus.assessment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.common.Problem;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of a submission hold when it is written, not only when it was checked: an assignment
 * ended, a course unpublished or left while the submission is on its way either makes it record
 * nothing (answered as the check would answer now) or waits until it is recorded.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class ConcurrentAssessmentTest {

  @Inject TestData data;
  @Inject Pool pgPool;

  private ExecutorService pool;

  @BeforeEach
  void startPool() {
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static Map<String, Object> item(long studentId, Long courseId) {
    Map<String, Object> item = new HashMap<>();
    item.put("studentId", studentId);
    item.put("skill", TestData.unique("skill"));
    item.put("score", 80);
    if (courseId != null) {
      item.put("courseId", courseId);
    }
    return item;
  }

  private static Response one(TestData.Account who, Map<String, Object> item) {
    return given()
        .auth()
        .oauth2(who.token())
        .contentType(ContentType.JSON)
        .body(item)
        .post("/api/assessments");
  }

  private static Response bulk(TestData.Account who, List<Map<String, Object>> items) {
    return given()
        .auth()
        .oauth2(who.token())
        .contentType(ContentType.JSON)
        .body(Map.of("items", items))
        .post("/api/assessments/bulk");
  }

  private long lockWaits() {
    return data.count(
        "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
            + " and datname = current_database()");
  }

  /** Waits until {@code waits} statements wait on a lock, or {@code work} is done. */
  private void untilWaiting(long waits, Future<?> work) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (lockWaits() < waits && !work.isDone() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }

  /**
   * Runs {@code ours} while another transaction holds {@code theirs} (statements over $1 = the
   * student, $2 = the course or 0) uncommitted: ours is checked against the rows as they were, and
   * its write meets their change, committed once it waits (or once it is done, if it never waits).
   */
  private Response whileAnotherChangeCommits(
      long studentId, long courseId, String theirs, Callable<Response> ours) throws Exception {
    SqlConnection other = pgPool.getConnection().await().indefinitely();
    try {
      Transaction tx = other.begin().await().indefinitely();
      other.preparedQuery(theirs).execute(Tuple.of(studentId, courseId)).await().indefinitely();
      Future<Response> response = pool.submit(ours);
      untilWaiting(1, response);
      tx.commit().await().indefinitely();
      return response.get();
    } finally {
      other.close().await().indefinitely();
    }
  }

  /** Errors of a 422 as "index:field:message" (no index for a single submission). */
  private static List<String> refused(Response response) {
    var json = response.then().statusCode(422).contentType(Problem.MEDIA_TYPE).extract().jsonPath();
    List<String> found = new ArrayList<>();
    for (int i = 0; i < json.getList("errors").size(); i++) {
      found.add(
          json.getString("errors[" + i + "].index")
              + ":"
              + json.getString("errors[" + i + "].field")
              + ":"
              + json.getString("errors[" + i + "].message"));
    }
    return found;
  }

  /** Everything a submission about the student writes: assessments, stats, activity. */
  private List<Long> writtenFor(long studentId) {
    return List.of(
        data.count("select count(*) from assessments where student_id = $1", studentId),
        data.count(
            "select coalesce(sum(assessments_received), 0) from user_stats where user_id = $1",
            studentId),
        data.count(
            "select count(*) from activity_events where user_id = $1 and type = 'ASSESSED'",
            studentId));
  }

  @Test
  void anAssignmentEndedWhileTheAssessmentIsWrittenRecordsNothing() throws Exception {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    // the admin's DELETE /api/admin/mentor-assignments/{mentor}/{student}
    String unassign =
        "update mentor_assignments set active = false where mentor_id = "
            + mentor.id()
            + " and student_id = $1 and active and $2 = 0";
    Response response =
        whileAnotherChangeCommits(
            student.id(), 0, unassign, () -> one(mentor, item(student.id(), null)));
    assertThat(refused(response)).containsExactly("null:studentId:is not assigned to you");
    assertThat(writtenFor(student.id())).containsOnly(0L);
  }

  @Test
  void aCourseUnpublishedWhileABulkIsWrittenRecordsNoneOfItsItems() throws Exception {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    long course = data.publishedCourse(data.account(Role.MENTOR).id(), 1).id();
    data.enroll(student.id(), course);
    String unpublish = "update courses set status = 'DRAFT' where id = $2 and $1 > 0";
    Response response =
        whileAnotherChangeCommits(
            student.id(),
            course,
            unpublish,
            () -> bulk(mentor, List.of(item(student.id(), null), item(student.id(), course))));
    // a draft is as unknown to a mentor who does not teach it as in the catalogue
    assertThat(refused(response)).containsExactly("1:courseId:no course has this id");
    assertThat(writtenFor(student.id())).containsOnly(0L);
  }

  @Test
  void aCourseLeftWhileTheInstructorsAssessmentIsWrittenRecordsNothing() throws Exception {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    long course = data.publishedCourse(instructor.id(), 1).id();
    data.enroll(student.id(), course);
    // the student's DELETE /api/enrollments/{course}
    String leave =
        "update enrollments set status = 'CANCELLED' where user_id = $1 and course_id = $2";
    Response response =
        whileAnotherChangeCommits(
            student.id(), course, leave, () -> one(instructor, item(student.id(), course)));
    assertThat(refused(response))
        .containsExactly("null:courseId:the student is not enrolled in it");
    assertThat(writtenFor(student.id())).containsOnly(0L);
  }

  @Test
  void anAssignmentEndedAsTheAssessmentWaitsToBeWrittenEndsAfterIt() throws Exception {
    TestData.Account admin = data.account(Role.ADMIN);
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    data.assign(mentor.id(), student.id());
    one(mentor, item(student.id(), null)).then().statusCode(201); // the student's stats row
    SqlConnection other = pgPool.getConnection().await().indefinitely();
    try {
      // anything that makes the write wait: here the student's stats, locked
      Transaction tx = other.begin().await().indefinitely();
      other
          .preparedQuery("select 1 from user_stats where user_id = $1 for update")
          .execute(Tuple.of(student.id()))
          .await()
          .indefinitely();
      Future<Response> assessed = pool.submit(() -> one(mentor, item(student.id(), null)));
      untilWaiting(1, assessed);
      assertThat(assessed).as("the assessment waits for the stats").isNotDone();
      Future<Integer> unassigned =
          pool.submit(
              () ->
                  given()
                      .auth()
                      .oauth2(admin.token())
                      .delete("/api/admin/mentor-assignments/" + mentor.id() + "/" + student.id())
                      .statusCode());
      untilWaiting(2, unassigned);
      assertThat(unassigned)
          .as("the assignment the assessment relies on ends only once it is recorded")
          .isNotDone();
      tx.commit().await().indefinitely();
      assertThat(assessed.get().statusCode()).isEqualTo(201);
      assertThat(unassigned.get()).isEqualTo(204);
    } finally {
      other.close().await().indefinitely();
    }
    assertThat(writtenFor(student.id())).containsOnly(2L);
    assertThat(
            data.count(
                "select count(*) from mentor_assignments where mentor_id = $1 and active",
                mentor.id()))
        .isZero();
  }
}
