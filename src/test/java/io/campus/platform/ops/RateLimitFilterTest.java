package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.platform.common.Problem;
import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Client addresses come from the trusted proxy's entry; search and auth bodies are bounded. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@TestProfile(RateLimitFilterTest.SmallSearchBucket.class)
class RateLimitFilterTest {

  /** Three searches per caller, then (practically) no refill. */
  public static class SmallSearchBucket implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "campus.ops.rate-limit.search.capacity", "3",
          "campus.ops.rate-limit.search.refill-per-second", "0.001");
    }
  }

  @Inject TestData data;

  private static String address() {
    return "10.98." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
  }

  @Test
  void aClientCannotEscapeTheLoginLimitByPrependingAddresses() {
    String client = address();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      statuses.add(
          given()
              // the test's requests come from 127.0.0.1, a trusted proxy in %test: its entry is
              // the right-most one; whatever the client wrote before it is its own choice
              .header("X-Forwarded-For", "192.0.2." + i + ", " + client)
              .contentType(ContentType.JSON)
              .body(
                  Map.of(
                      "email",
                      TestData.unique("spoof") + "@example.org",
                      "password",
                      "wrong-password"))
              .post("/api/auth/login")
              .statusCode());
    }
    assertThat(statuses).contains(429);
    assertThat(statuses.subList(0, 20)).containsOnly(401);
  }

  /** A client address whose three searches are spent, each answered. */
  private static String spentSearches() {
    String client = address();
    for (int i = 0; i < 3; i++) {
      given()
          .header("X-Forwarded-For", client)
          .queryParam("q", "anything")
          .get("/api/courses/search")
          .then()
          .statusCode(200);
    }
    return client;
  }

  @Test
  void searchHasItsOwnBucketPerClientAndPerUser() {
    String client = spentSearches();
    given()
        .header("X-Forwarded-For", client)
        .queryParam("q", "anything")
        .get("/api/courses/search")
        .then()
        .statusCode(429)
        .contentType(Problem.MEDIA_TYPE)
        .header("Retry-After", Matchers.notNullValue());
    // the catalogue itself is not limited by it, nor is another client
    given().header("X-Forwarded-For", client).get("/api/courses").then().statusCode(200);
    given()
        .header("X-Forwarded-For", address())
        .queryParam("q", "anything")
        .get("/api/courses/search")
        .then()
        .statusCode(200);
    // a signed-in user has a bucket of their own, from any address
    TestData.Account student = data.account(Role.STUDENT);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(
          given()
              .header("X-Forwarded-For", address())
              .header("Authorization", "Bearer " + student.token())
              .queryParam("q", "anything")
              .get("/api/courses/search")
              .statusCode());
    }
    assertThat(statuses).containsExactly(200, 200, 200, 429);
  }

  /**
   * Once a client's searches are spent, no other spelling of a search runs one: HEAD is answered by
   * the GET method, and paths the router normalises reach the same resource.
   */
  @Test
  void noSpellingOfASearchEscapesItsBucket() {
    String client = spentSearches();
    Map<String, Integer> served = new java.util.LinkedHashMap<>();
    for (String method : List.of("GET", "HEAD")) {
      for (String path :
          List.of(
              "/api/courses/search",
              "/api/courses/search/",
              "/api//courses/search",
              "/api/courses//search",
              "/api/courses/./search",
              "/api/x/../courses/search",
              "/api/courses/%73earch",
              "/api/courses;v=1/search")) {
        int status =
            given()
                .urlEncodingEnabled(false)
                .header("X-Forwarded-For", client)
                .queryParam("q", "anything")
                .request(method, path)
                .statusCode();
        if (status < 300) {
          served.put(method + " " + path, status);
        }
      }
    }
    assertThat(served).as("searches served past the limit").isEmpty();
  }

  @Test
  void oversizedAuthBodiesAreRefusedBeforeTheyAreRead() {
    String padding = "x".repeat(5000);
    for (String path : List.of("/api/auth/login", "/api/auth/register")) {
      given()
          .header("X-Forwarded-For", address())
          .contentType(ContentType.JSON)
          .body(Map.of("email", "big@example.org", "password", padding, "displayName", "B"))
          .post(path)
          .then()
          .statusCode(413)
          .contentType(Problem.MEDIA_TYPE)
          .body("status", Matchers.equalTo(413));
    }
    // a body just under the limit is read and judged on its content
    given()
        .header("X-Forwarded-For", address())
        .contentType(ContentType.JSON)
        .body(Map.of("email", "big@example.org", "password", "x".repeat(3900)))
        .post("/api/auth/login")
        .then()
        .statusCode(400);
  }

  /** A registration body padded with whitespace to {@code size} bytes, sent without a length. */
  private static HttpResponse<String> registerChunked(String email, int size) throws Exception {
    String json =
        "{\"email\":\""
            + email
            + "\",\"password\":\"correct horse battery staple 42\",\"displayName\":\"C\"}";
    return postChunked("/api/auth/register", null, json, size);
  }

  /** {@code json} padded in front with whitespace to {@code size} bytes, sent without a length. */
  private static HttpResponse<String> postChunked(String path, String token, String json, int size)
      throws Exception {
    byte[] body =
        (" ".repeat(Math.max(0, size - json.length())) + json).getBytes(StandardCharsets.UTF_8);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // a stream of unknown length goes out chunked, without a Content-Length
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", address())
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Any API body sent without a length is held to quarkus.http.limits.max-body-size (1M) as one
   * with a declared length is: a problem+json 413, and no error logged for a refusal this ordinary.
   */
  @Test
  void oversizedChunkedBodiesAreRefusedWithAProblemAndNoErrorLogged() throws Exception {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.CourseFixture course = data.publishedCourse(data.account(Role.MENTOR).id(), 1);
    String enroll = "{\"courseId\":" + course.id() + "}";
    List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
              errors.add(record.getLoggerName() + ": " + record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(capture);
    try {
      HttpResponse<String> refused =
          postChunked("/api/enrollments", student.token(), enroll, 1024 * 1024 + 1);
      assertThat(refused.statusCode()).isEqualTo(413);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
      assertThat(refused.body()).contains("\"status\":413");
      Thread.sleep(500); // the request's own end, after the answer
      assertThat(errors).isEmpty();
    } finally {
      root.removeHandler(capture);
    }
    assertThat(data.count("select count(*) from enrollments where user_id = $1", student.id()))
        .isZero();
    // within the limit, the body is read and judged on its content
    assertThat(postChunked("/api/enrollments", student.token(), enroll, 64 * 1024).statusCode())
        .isEqualTo(201);
  }

  @Test
  void oversizedChunkedAuthBodiesAreRefusedOnTheBytesReceived() throws Exception {
    String email = TestData.unique("chunked") + "@example.org";
    for (int size : new int[] {900 * 1024, 4097}) {
      HttpResponse<String> refused = registerChunked(email, size);
      assertThat(refused.statusCode()).isEqualTo(413);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
      assertThat(refused.body()).contains("\"status\":413");
    }
    assertThat(data.count("select count(*) from users where email = $1", email)).isZero();

    // a chunked body within the limit is read and judged on its content as before
    assertThat(registerChunked(email, 4000).statusCode()).isEqualTo(202);
    assertThat(data.count("select count(*) from users where email = $1", email)).isEqualTo(1);
  }
}
