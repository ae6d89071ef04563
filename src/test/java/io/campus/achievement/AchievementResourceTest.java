package io.campus.achievement;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class AchievementResourceTest {

  @Inject TestData data;

  /** A unique achievement code prefix (codes are upper case, digits and underscores). */
  private static String codePrefix(String name) {
    return TestData.unique(name).toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** Defines {@code count} achievements PREFIX_1..PREFIX_n straight in the database. */
  private void define(String prefix, int count, String ruleType, int threshold) {
    data.execute(
        "insert into achievements (code, name, rule_type, threshold, points)"
            + " select $1 || '_' || g, 'Award ' || g, $2, $3, 5 from generate_series(1, $4) g",
        Tuple.of(prefix, ruleType, threshold, count));
  }

  private void forget(String prefix) {
    data.execute("delete from achievements where code like $1", Tuple.of(prefix + "\\_%"));
  }

  private static Map<String, Object> body(String code, String ruleType, int threshold) {
    Map<String, Object> body = new HashMap<>();
    body.put("code", code);
    body.put("name", "First steps");
    body.put("description", "Complete a lesson");
    body.put("ruleType", ruleType);
    body.put("threshold", threshold);
    body.put("points", 50);
    return body;
  }

  private int create(String token, Map<String, Object> body) {
    var request = given().contentType(ContentType.JSON).body(body);
    if (token != null) {
      request.auth().oauth2(token);
    }
    return request.post("/api/admin/achievements").statusCode();
  }

  @Test
  void onlyAdminsDefineAchievementsAndCodesAreUnique() {
    String admin = data.account(Role.ADMIN).token();
    String code = codePrefix("FIRST");
    Map<String, Object> valid = body(code, "POINTS", 1_000_000_000);

    assertThat(create(null, valid)).isEqualTo(401);
    assertThat(create(data.account(Role.STUDENT).token(), valid)).isEqualTo(403);
    assertThat(create(data.account(Role.MENTOR).token(), valid)).isEqualTo(403);
    assertThat(data.count("select count(*) from achievements where code = $1", code)).isZero();

    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(valid)
        .post("/api/admin/achievements")
        .then()
        .statusCode(201)
        .body("code", equalTo(code))
        .body("ruleType", equalTo("POINTS"))
        .body("threshold", equalTo(1_000_000_000))
        .body("points", equalTo(50));
    given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(valid)
        .post("/api/admin/achievements")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");

    String other = codePrefix("BAD");
    List<Map<String, Object>> invalid = new ArrayList<>();
    invalid.add(body(other.toLowerCase(Locale.ROOT), "POINTS", 10));
    invalid.add(body("X", "POINTS", 10));
    invalid.add(body(other, "HEIGHT", 10));
    invalid.add(body(other, "POINTS", 0));
    Map<String, Object> negativePoints = body(other, "POINTS", 10);
    negativePoints.put("points", -1);
    invalid.add(negativePoints);
    Map<String, Object> noName = body(other, "POINTS", 10);
    noName.put("name", " ");
    invalid.add(noName);
    for (Map<String, Object> bad : invalid) {
      given()
          .auth()
          .oauth2(admin)
          .contentType(ContentType.JSON)
          .body(bad)
          .post("/api/admin/achievements")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    assertThat(
            data.count(
                "select count(*) from achievements where upper(code) = $1 or code = 'X'", other))
        .isZero();
  }

  @Test
  void namesAndDescriptionsWithControlOrBidiCharactersAreRefused() {
    String admin = data.account(Role.ADMIN).token();
    String code = codePrefix("CTL");
    for (String[] bad :
        new String[][] {
          {"name", "Top\u202ereader"},
          {"name", "Top\u0085reader"},
          {"name", "Top\nreader"},
          {"description", "Finish \u001b[1m everything"},
          {"description", "Finish \u2066everything"}
        }) {
      Map<String, Object> body = body(code, "POINTS", 10);
      body.put(bad[0], bad[1]);
      given()
          .auth()
          .oauth2(admin)
          .contentType(ContentType.JSON)
          .body(body)
          .post("/api/admin/achievements")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors.field", equalTo(List.of(bad[0])));
    }
    assertThat(data.count("select count(*) from achievements where code = $1", code)).isZero();
    Map<String, Object> multiline = body(code, "POINTS", 10);
    multiline.put("description", "Earn points:\n\t- by lessons\n\t- by courses");
    assertThat(create(admin, multiline)).isEqualTo(201);
    data.execute("delete from achievements where code = $1", Tuple.of(code));
  }

  @Test
  void pointsAndThresholdsAreBoundedSoAwardsCannotOverflowAUsersPoints() {
    String admin = data.account(Role.ADMIN).token();
    for (String field : List.of("points", "threshold")) {
      String code = codePrefix("BIG");
      Map<String, Object> tooBig = body(code, "POINTS", 10);
      tooBig.put(field, Integer.MAX_VALUE);
      given()
          .auth()
          .oauth2(admin)
          .contentType(ContentType.JSON)
          .body(tooBig)
          .post("/api/admin/achievements")
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors.field", contains(field));
      assertThat(data.count("select count(*) from achievements where code = $1", code)).isZero();
    }
    Map<String, Object> largest = body(codePrefix("LARGEST"), "POINTS", 1_000_000_000);
    largest.put("points", 10_000);
    assertThat(create(admin, largest)).isEqualTo(201);
  }

  @Test
  void theCatalogueHoldsAtMostTenThousandAchievements() {
    String admin = data.account(Role.ADMIN).token();
    String prefix = codePrefix("FULL");
    try {
      long defined = data.count("select count(*) from achievements");
      define(prefix, (int) (10_000 - defined), "POINTS", 1_000_000_000);
      String last = prefix + "_LAST";
      given()
          .auth()
          .oauth2(admin)
          .contentType(ContentType.JSON)
          .body(body(last, "POINTS", 10))
          .post("/api/admin/achievements")
          .then()
          .statusCode(409)
          .contentType("application/problem+json");
      assertThat(data.count("select count(*) from achievements where code = $1", last)).isZero();
    } finally {
      forget(prefix);
    }
  }

  @Test
  void catalogueWalksEveryPageForEveryRole() {
    String prefix = codePrefix("CAT");
    define(prefix, 5, "POINTS", 1_000_000_000);
    given().get("/api/achievements").then().statusCode(401);
    for (Role role : Role.values()) {
      String token = data.account(role).token();
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        JsonPath page =
            given()
                .auth()
                .oauth2(token)
                .queryParam("limit", 2)
                .queryParam("cursor", cursor == null ? "" : cursor)
                .get("/api/achievements")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        seen.addAll(page.getList("items.code", String.class));
        cursor = page.getString("next");
      } while (cursor != null);
      assertThat(seen).doesNotHaveDuplicates();
      assertThat(seen.stream().filter(c -> c.startsWith(prefix + "_")))
          .containsExactly(
              prefix + "_1", prefix + "_2", prefix + "_3", prefix + "_4", prefix + "_5");
    }
    String student = data.account(Role.STUDENT).token();
    given()
        .auth()
        .oauth2(student)
        .queryParam("cursor", "not-a-cursor")
        .get("/api/achievements")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(student)
        .queryParam("limit", 0)
        .get("/api/achievements")
        .then()
        .statusCode(400);
  }

  @Test
  void mineShowsEachUsersOwnProgress() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account other = data.account(Role.STUDENT);
    String prefix = codePrefix("MINE");
    define(prefix, 1, "POINTS", 1_000_000_000);
    data.execute(
        "insert into achievements (code, name, rule_type, threshold)"
            + " values ($1, 'Reader', 'LESSONS_COMPLETED', 4)",
        Tuple.of(prefix + "_READER"));
    data.execute(
        "insert into achievements (code, name, rule_type, threshold)"
            + " values ($1, 'Streak', 'STREAK_DAYS', 2)",
        Tuple.of(prefix + "_STREAK"));
    data.execute(
        "insert into user_stats (user_id, points, lessons_completed, current_streak)"
            + " values ($1, 30, 3, 1)",
        Tuple.of(student.id()));
    // awarded on an earlier streak that has since been broken
    data.execute(
        "insert into user_achievements (user_id, achievement_id)"
            + " select $1, id from achievements where code = $2",
        Tuple.of(student.id(), prefix + "_STREAK"));

    given().get("/api/achievements/mine").then().statusCode(401);
    Map<String, Map<String, Object>> mine = mine(student.token(), prefix);
    assertThat(mine.get(prefix + "_READER"))
        .containsEntry("current", 3)
        .containsEntry("threshold", 4)
        .containsEntry("percent", 75)
        .containsEntry("awardedAt", null);
    assertThat(mine.get(prefix + "_STREAK"))
        .containsEntry("current", 1)
        .containsEntry("percent", 100);
    assertThat(mine.get(prefix + "_STREAK").get("awardedAt")).isNotNull();
    assertThat(mine.get(prefix + "_1")).containsEntry("current", 30).containsEntry("percent", 0);

    // another user sees the same catalogue with their own (empty) progress only
    Map<String, Map<String, Object>> theirs = mine(other.token(), prefix);
    assertThat(theirs).hasSize(3);
    assertThat(theirs.values())
        .allSatisfy(
            a -> assertThat(a).containsEntry("current", 0).containsEntry("awardedAt", null));
    for (Role role : new Role[] {Role.MENTOR, Role.ADMIN}) {
      assertThat(mine(data.account(role).token(), prefix).values())
          .allSatisfy(a -> assertThat(a).containsEntry("awardedAt", null));
    }
    // a cursor of one user's progress is no good for another's
    String next =
        given()
            .auth()
            .oauth2(student.token())
            .queryParam("limit", 1)
            .get("/api/achievements/mine")
            .then()
            .statusCode(200)
            .extract()
            .path("next");
    given()
        .auth()
        .oauth2(other.token())
        .queryParam("cursor", next)
        .get("/api/achievements/mine")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  /** Every achievement with this prefix, walking all pages of /mine, by code. */
  private Map<String, Map<String, Object>> mine(String token, String prefix) {
    Map<String, Map<String, Object>> byCode = new HashMap<>();
    String cursor = null;
    do {
      JsonPath page =
          given()
              .auth()
              .oauth2(token)
              .queryParam("limit", 7)
              .queryParam("cursor", cursor == null ? "" : cursor)
              .get("/api/achievements/mine")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      List<Map<String, Object>> items = page.getList("items");
      for (Map<String, Object> item : items) {
        String code = (String) item.get("code");
        if (code.startsWith(prefix + "_")) {
          assertThat(byCode.put(code, item)).isNull();
        }
      }
      cursor = page.getString("next");
    } while (cursor != null);
    return byCode;
  }

  @Test
  void mineCostsTheSameForOneOrManyAchievements() {
    define(codePrefix("MANY"), 40, "POINTS", 1_000_000_000);
    String token = data.account(Role.STUDENT).token();
    given().auth().oauth2(token).get("/api/achievements/mine").then().statusCode(200); // warm up
    PgWireCounter.Counts one =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(token)
                    .queryParam("limit", 1)
                    .get("/api/achievements/mine")
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(1)));
    PgWireCounter.Counts many =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(token)
                    .queryParam("limit", 40)
                    .get("/api/achievements/mine")
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(40)));
    // one statement; the session lookup is served by the cache
    assertThat(one.statements()).isEqualTo(1);
    assertThat(many).isEqualTo(one);
    PgWireCounter.Counts catalogue =
        Statements.count(
            () ->
                given()
                    .auth()
                    .oauth2(token)
                    .queryParam("limit", 40)
                    .get("/api/achievements")
                    .then()
                    .statusCode(200));
    assertThat(catalogue.statements()).isLessThanOrEqualTo(1);
  }

  @Test
  void completingALessonAwardsThreeOrThirtyAchievementsAtTheSameCost() {
    TestData.Account mentor = data.account(Role.MENTOR);
    TestData.CourseFixture course = data.publishedCourse(mentor.id(), 3);
    long lesson = course.lessonIds().get(0);
    TestData.Account warm = data.account(Role.STUDENT);
    TestData.Account few = data.account(Role.STUDENT);
    TestData.Account many = data.account(Role.STUDENT);
    for (TestData.Account a : List.of(warm, few, many)) {
      data.enroll(a.id(), course.id());
    }
    complete(warm, lesson);

    String prefix = codePrefix("AWARD");
    try {
      define(prefix, 3, "LESSONS_COMPLETED", 1);
      List<String> threeCodes = new ArrayList<>();
      PgWireCounter.Counts three = Statements.count(() -> threeCodes.addAll(complete(few, lesson)));
      define(prefix + "_MORE", 27, "LESSONS_COMPLETED", 1);
      List<String> thirtyCodes = new ArrayList<>();
      PgWireCounter.Counts thirty =
          Statements.count(() -> thirtyCodes.addAll(complete(many, lesson)));

      // session lookup + the completion statement, awards included
      assertThat(three.statements()).isEqualTo(2);
      assertThat(thirty).isEqualTo(three);

      assertThat(threeCodes.stream().filter(c -> c.startsWith(prefix + "_"))).hasSize(3);
      assertThat(thirtyCodes.stream().filter(c -> c.startsWith(prefix + "_"))).hasSize(30);
      assertThat(awards(few, prefix)).isEqualTo(3);
      assertThat(awards(many, prefix)).isEqualTo(30);
      assertThat(awardEvents(few, prefix)).isEqualTo(3);
      assertThat(awardEvents(many, prefix)).isEqualTo(30);
      // every award made, whoever defined it, has exactly one event
      for (TestData.Account a : List.of(few, many)) {
        assertThat(
                data.count(
                    "select count(*) from activity_events where user_id = $1"
                        + " and type = 'ACHIEVEMENT_AWARDED'",
                    a.id()))
            .isEqualTo(
                data.count("select count(*) from user_achievements where user_id = $1", a.id()));
      }

      // completing the next lesson awards nothing new
      assertThat(complete(many, course.lessonIds().get(1)))
          .noneMatch(c -> c.startsWith(prefix + "_"));
      assertThat(awards(many, prefix)).isEqualTo(30);
      given()
          .auth()
          .oauth2(many.token())
          .queryParam("limit", 100)
          .get("/api/achievements/mine")
          .then()
          .statusCode(200)
          .body("items.find { it.code == '" + prefix + "_1' }.percent", equalTo(100))
          .body("items.find { it.code == '" + prefix + "_1' }.awardedAt", notNullValue());
    } finally {
      forget(prefix);
    }
  }

  private List<String> complete(TestData.Account who, long lessonId) {
    return given()
        .auth()
        .oauth2(who.token())
        .post("/api/lessons/" + lessonId + "/complete")
        .then()
        .statusCode(200)
        .body("newlyCompleted", equalTo(true))
        .extract()
        .jsonPath()
        .getList("newAchievements", String.class);
  }

  private long awards(TestData.Account who, String prefix) {
    return data.count(
        "select count(*) from user_achievements ua join achievements a on a.id = ua.achievement_id"
            + " where ua.user_id = $1 and a.code like $2",
        who.id(),
        prefix + "\\_%");
  }

  private long awardEvents(TestData.Account who, String prefix) {
    return data.count(
        "select count(*) from activity_events e join achievements a on a.id = e.subject_id"
            + " where e.user_id = $1 and e.type = 'ACHIEVEMENT_AWARDED'"
            + " and e.subject_type = 'ACHIEVEMENT' and a.code like $2",
        who.id(),
        prefix + "\\_%");
  }
}
