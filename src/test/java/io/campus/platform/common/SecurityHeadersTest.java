package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class SecurityHeadersTest {

  @Inject TestData data;

  private static void assertHardened(Response response, String what) {
    assertThat(response.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
    assertThat(response.header("X-Frame-Options")).as(what).isEqualTo("DENY");
    assertThat(response.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
    assertThat(response.header("Content-Security-Policy"))
        .as(what)
        .contains("default-src 'none'")
        .contains("frame-ancestors 'none'");
    // plain HTTP here: HSTS would be meaningless
    assertThat(response.header("Strict-Transport-Security")).as(what).isNull();
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() {
    TestData.Account student = data.account(Role.STUDENT);
    assertHardened(Clients.fresh().get("/api/courses"), "public 200");
    assertHardened(Clients.fresh().get("/api/no-such-thing"), "404 of the router");
    assertHardened(Clients.fresh().get("/api/auth/me"), "401");
    assertHardened(
        Clients.fresh().auth().oauth2(student.token()).get("/api/auth/me"), "authenticated");
    assertHardened(
        Clients.fresh().auth().oauth2(student.token()).get("/api/admin/jobs/runs"),
        "403 for a role");
    assertHardened(Clients.fresh().queryParam("limit", "x").get("/api/courses"), "400");
    assertHardened(Clients.fresh().delete("/api/courses"), "405");
    assertHardened(
        Clients.fresh()
            .contentType(ContentType.JSON)
            .body(Map.of("email", "x", "password", "y"))
            .post("/api/auth/login"),
        "400 of a write");
  }

  @Test
  void the413CarriesTheSecurityHeadersToo() throws Exception {
    // Headers only: uploading the body would race the server's early refusal (broken pipe).
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
                  socket.getInputStream().readNBytes(2048), java.nio.charset.StandardCharsets.UTF_8)
              .toLowerCase(java.util.Locale.ROOT);
      assertThat(response)
          .startsWith("http/1.1 413")
          .contains("x-content-type-options: nosniff")
          .contains("x-frame-options: deny");
    }
  }

  @Test
  void authenticatedResponsesAreNeverStored() {
    TestData.Account student = data.account(Role.STUDENT);
    for (String path : List.of("/api/auth/me", "/api/dashboard", "/api/enrollments")) {
      String control =
          Clients.fresh()
              .auth()
              .oauth2(student.token())
              .get(path)
              .then()
              .extract()
              .header("Cache-Control");
      assertThat(control).as(path).contains("no-store").doesNotContain("public");
    }
  }
}
