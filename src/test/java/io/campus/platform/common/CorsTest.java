package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.TestData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A web front end on another origin, once that origin is configured (the test profile lists
 * https://app.campus.test), can call the API from a browser and read the headers it needs.
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class CorsTest {

  static final String FRONT_END = "https://app.campus.test";

  @Inject TestData data;

  private static Response preflight(String origin, String method, String path) {
    return Clients.fresh()
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
        .options(path);
  }

  private static List<String> listed(Response response, String header) {
    String value = response.header(header);
    return value == null
        ? List.of()
        : Arrays.stream(value.split(",")).map(String::trim).map(String::toLowerCase).toList();
  }

  @Test
  void aListedOriginPassesThePreflightOnceAnHour() {
    Response response = preflight(FRONT_END, "POST", "/api/auth/login");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(FRONT_END);
    assertThat(listed(response, "Access-Control-Allow-Methods")).contains("post");
    assertThat(listed(response, "Access-Control-Allow-Headers"))
        .contains("authorization", "content-type", "idempotency-key");
    // without it a browser repeats the preflight before every write
    assertThat(response.header("Access-Control-Max-Age")).isEqualTo("3600");
  }

  @Test
  void theFrontEndCanReadTheHeadersItActsOn() {
    String slug = data.publishedCourse(data.account(io.campus.user.Role.MENTOR).id(), 1).slug();
    Response response = Clients.fresh().header("Origin", FRONT_END).get("/api/courses/" + slug);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(FRONT_END);
    // revalidation (ETag), where a created thing lives (Location), when to come back (Retry-After)
    assertThat(listed(response, "Access-Control-Expose-Headers"))
        .contains("etag", "location", "retry-after");
  }

  @Test
  void anUnlistedOriginIsRefused() {
    Response response = preflight("https://evil.example", "POST", "/api/auth/login");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void clientsThatSendNoOriginAreUnaffected() {
    Response response = Clients.fresh().get("/api/courses");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("Access-Control-Allow-Origin")).isNull();
  }
}
