package io.campus.activity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class ActivityResourceTest {

  @Inject TestData data;

  /**
   * {@code count} events for a user, half a second apart on average: pairs share a timestamp, so
   * the id must break ties. Returns their ids newest first.
   */
  private List<Long> events(long userId, int count) {
    return List.of(
        data.single(
                "with ins as (insert into activity_events (user_id, type, subject_type, detail, created_at)"
                    + " select $1, 'TEST', 'NONE', 'event ' || g,"
                    + " now() - make_interval(secs => g / 2) from generate_series(1, $2) g"
                    + " returning id, created_at)"
                    + " select array_agg(id order by created_at desc, id desc) as ids from ins",
                Tuple.of(userId, count))
            .getArrayOfLongs("ids"));
  }

  private JsonPath page(String token, int limit, String cursor) {
    return given()
        .auth()
        .oauth2(token)
        .queryParam("limit", limit)
        .queryParam("cursor", cursor == null ? "" : cursor)
        .get("/api/activity")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void feedIsNewestFirstAndWalksEveryPageOnce() {
    TestData.Account student = data.account(Role.STUDENT);
    List<Long> expected = events(student.id(), 7);
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonPath page = page(student.token(), 3, cursor);
      seen.addAll(page.getList("items.id", Long.class));
      cursor = page.getString("next");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).isEqualTo(expected);

    String next = page(student.token(), 3, null).getString("next");
    TestData.Account other = data.account(Role.STUDENT);
    // another user's cursor, a forged cursor and a bad limit are refused
    given()
        .auth()
        .oauth2(other.token())
        .queryParam("cursor", next)
        .get("/api/activity")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(student.token())
        .queryParam("cursor", "Zm9v")
        .get("/api/activity")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(student.token())
        .queryParam("limit", 101)
        .get("/api/activity")
        .then()
        .statusCode(400);
  }

  @Test
  void eventsNameTheirSubject() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 2);
    given()
        .auth()
        .oauth2(student.token())
        .contentType(ContentType.JSON)
        .body(Map.of("courseId", course.id()))
        .post("/api/enrollments")
        .then()
        .statusCode(201);
    given()
        .auth()
        .oauth2(student.token())
        .post("/api/lessons/" + course.lessonIds().get(0) + "/complete")
        .then()
        .statusCode(200);
    JsonPath feed = page(student.token(), 50, null);
    assertThat(feed.getList("items.type", String.class))
        .containsSubsequence("LESSON_COMPLETED", "ENROLLED");
    assertThat(feed.getString("items.find { it.type == 'ENROLLED' }.subjectName"))
        .isEqualTo("Test course");
    assertThat(feed.getLong("items.find { it.type == 'ENROLLED' }.subjectId"))
        .isEqualTo(course.id());
    assertThat(feed.getString("items.find { it.type == 'LESSON_COMPLETED' }.subjectName"))
        .isEqualTo("Lesson 1");
  }

  @Test
  void everyoneSeesOnlyTheirOwnFeed() {
    TestData.Account student = data.account(Role.STUDENT);
    List<Long> mine = events(student.id(), 2);
    given().get("/api/activity").then().statusCode(401);
    assertThat(page(student.token(), 50, null).getList("items.id", Long.class)).isEqualTo(mine);
    for (Role role : Role.values()) {
      TestData.Account someone = data.account(role);
      List<Long> theirs = events(someone.id(), 1);
      assertThat(page(someone.token(), 50, null).getList("items.id", Long.class)).isEqualTo(theirs);
    }
  }

  @Test
  void feedCostsTheSameForShortAndLongLists() {
    TestData.Account few = data.account(Role.STUDENT);
    TestData.Account many = data.account(Role.STUDENT);
    events(few.id(), 1);
    events(many.id(), 60);
    String cursor = page(many.token(), 10, null).getString("next"); // warm up
    given().auth().oauth2(few.token()).get("/api/auth/me").then().statusCode(200);
    PgWireCounter.Counts one =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(few.token())
                    .get("/api/activity")
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(1)));
    PgWireCounter.Counts fifty =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(many.token())
                    .queryParam("limit", 50)
                    .get("/api/activity")
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(50)));
    PgWireCounter.Counts later =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(many.token())
                    .queryParam("limit", 50)
                    .queryParam("cursor", cursor)
                    .get("/api/activity")
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(50)));
    // one statement when cold; the session lookup is served by the cache
    assertThat(one.statements()).isEqualTo(1);
    assertThat(fifty).isEqualTo(one);
    assertThat(later).isEqualTo(one);
  }
}
