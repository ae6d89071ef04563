package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campus.testsupport.CampusTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Beyond its in-flight bound an instance refuses API requests at once, cheaply and in the API's
 * error shape, and takes them again as soon as one in flight ends; a client that never finishes its
 * requests' bodies takes no place.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@TestProfile(LoadSheddingTest.TwoInFlight.class)
class LoadSheddingTest {

  public static class TwoInFlight implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("campus.ops.http.max-in-flight", "2");
    }
  }

  @Inject LoadShedding shedding;

  /** A request whose body never finishes arriving. */
  private static Socket unfinishedBody() throws IOException {
    Socket socket = new Socket("localhost", RestAssured.port);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"email\":")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  /** Until closed, every statement that reads courses waits: requests that do stay in flight. */
  private static Connection lockCourses() throws SQLException {
    Connection owner =
        DriverManager.getConnection(
            System.getProperty(CampusTestResources.JDBC_URL_PROPERTY), "postgres", null);
    owner.setAutoCommit(false);
    try (Statement statement = owner.createStatement()) {
      statement.execute("lock table courses in access exclusive mode");
    }
    return owner;
  }

  @Test
  void beyondTheBoundRequestsAreRefusedAtOnceUntilOneInFlightEnds() throws Exception {
    assertThat(given().get("/api/courses").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> shedding.inFlight() == 0);

    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    try (Connection lock = lockCourses()) {
      for (int i = 0; i < 2; i++) {
        // unknown slugs: no cache has them, so each one reads courses and waits for the lock
        URI uri =
            URI.create(
                "http://localhost:" + RestAssured.port + "/api/courses/" + UUID.randomUUID());
        held.add(
            client.sendAsync(
                HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
      }
      await().atMost(Duration.ofSeconds(3)).until(() -> shedding.inFlight() == 2);

      Response refused = given().get("/api/courses");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.jsonPath().getInt("status")).isEqualTo(503);
      assertThat(refused.jsonPath().getString("title")).isEqualTo("Service Unavailable");
      assertThat(refused.header("X-Content-Type-Options")).isEqualTo("nosniff");
      // refused before authentication: a token changes nothing
      assertThat(given().header("Authorization", "Bearer x").get("/api/auth/me").statusCode())
          .isEqualTo(503);
      // the bound is on the API: the documentation is served
      assertThat(given().get("/q/openapi").statusCode()).isEqualTo(200);
      // a refusal counts among the API's responses (the SLO selects uri=~"/api/.*"), under one tag
      String slug = "refused-" + UUID.randomUUID();
      assertThat(given().get("/api/courses/" + slug).statusCode()).isEqualTo(503);
      String metrics = given().get("/q/metrics").then().extract().asString();
      assertThat(metrics).doesNotContain(slug);
      assertThat(
              metrics
                  .lines()
                  .filter(l -> l.startsWith("http_server_requests_seconds_count"))
                  .filter(l -> l.contains("uri=\"" + LoadShedding.URI_TAG + "\""))
                  .filter(l -> l.contains("status=\"503\"")))
          .isNotEmpty();
      lock.rollback();
    }
    for (CompletableFuture<HttpResponse<String>> answer : held) {
      assertThat(answer.get().statusCode()).isEqualTo(404);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> shedding.inFlight() == 0);
    for (int i = 0; i < 20; i++) {
      assertThat(given().get("/api/courses").statusCode()).isEqualTo(200);
    }
    assertThat(shedding.inFlight()).isZero();
  }

  @Test
  void requestsWhoseBodyIsStillArrivingTakeNoPlace() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        slow.add(unfinishedBody());
      }
      for (int i = 0; i < 10; i++) {
        assertThat(given().get("/api/courses").statusCode()).isEqualTo(200);
        Thread.sleep(20);
      }
      assertThat(shedding.inFlight()).isZero();
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }
}
