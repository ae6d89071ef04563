package io.campus.lesson;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.course.CourseService;
import io.campus.platform.cache.CacheCodec;
import io.campus.platform.cache.CacheConfig;
import io.campus.platform.cache.CacheMetrics;
import io.campus.platform.cache.RedisL2;
import io.campus.platform.cache.TwoLevelCache;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.campus.user.UserView;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A lesson edited through one instance is never served stale by another: the second instance keeps
 * the content in its own L1 (30 s) and only the course's tag, bumped over pub/sub, tells it.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class LessonOnTwoInstancesTest {

  @Inject TestData data;
  @Inject LessonRepository lessons;
  @Inject CourseService courses;
  @Inject RedisL2 redis;
  @Inject CacheConfig config;
  @Inject CacheCodec codec;
  @Inject CacheMetrics metrics;
  @Inject Vertx vertx;
  @Inject TwoLevelCache here;

  private TwoLevelCache otherCache;
  private LessonService other;

  @BeforeEach
  void otherInstance() {
    otherCache = new TwoLevelCache(redis, config, codec, metrics, vertx);
    otherCache.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> here.subscribed() && otherCache.subscribed());
    other = new LessonService(lessons, courses, otherCache);
  }

  @AfterEach
  void stopOtherInstance() {
    otherCache.stop();
  }

  @Test
  void anEditedLessonIsReadFreshOnTheOtherInstance() {
    TestData.Account instructor = data.account(Role.MENTOR);
    TestData.CourseFixture course = data.publishedCourse(instructor.id(), 2);
    UserView admin = new UserView(0, "admin@test.campus", "Admin", Role.ADMIN);
    assertThat(read(course, admin)).isEqualTo("");
    assertThat(read(course, admin)).isEqualTo(""); // now from the other instance's L1

    given()
        .auth()
        .oauth2(instructor.token())
        .contentType(ContentType.JSON)
        .body(Map.of("content", "# Rewritten"))
        .patch("/api/courses/" + course.slug() + "/lessons/1")
        .then()
        .statusCode(200);

    Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> "# Rewritten".equals(read(course, admin)));
  }

  private String read(TestData.CourseFixture course, UserView reader) {
    return other.read(course.slug(), 1, reader).await().atMost(Duration.ofSeconds(10)).content();
  }
}
