package io.campus.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.Clients;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A client that used the wrong method learns from the answer which ones the resource takes (RFC
 * 9110 section 15.5.6 requires the Allow header on a 405).
 */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
class HttpMethodsTest {

  static Set<String> allowed(Response response) {
    String value = response.header("Allow");
    assertThat(value).as("Allow header").isNotNull();
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  @Test
  void aWrongMethodIsAnsweredWithTheMethodsOfThatPath() {
    Response collection = Clients.fresh().delete("/api/courses");
    assertThat(collection.statusCode()).isEqualTo(405);
    assertThat(collection.contentType()).startsWith(Problem.MEDIA_TYPE);
    assertThat(allowed(collection)).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS", "POST");

    // other paths of the same resource class take DELETE; this one does not
    Response course = Clients.fresh().delete("/api/courses/some-course");
    assertThat(course.statusCode()).isEqualTo(405);
    assertThat(allowed(course)).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS", "PUT");

    Response role = Clients.fresh().get("/api/admin/users/7/role");
    assertThat(role.statusCode()).isEqualTo(405);
    assertThat(role.contentType()).startsWith(Problem.MEDIA_TYPE);
    assertThat(allowed(role)).containsExactlyInAnyOrder("OPTIONS", "PUT");
  }

  /**
   * A literal segment outranks a parameter of another path (Jakarta REST's matching order): GET on
   * the reorder path of a course's lessons is a wrong method there, not a read of lesson number
   * "order", and a PUT on the search is not an update of a course named "search" (a slug no course
   * may take). Both are answered like any other wrong method.
   */
  @Test
  void aLiteralSegmentOutranksAParameterOfAnotherPath() {
    for (String method : new String[] {"GET", "PATCH", "DELETE"}) {
      Response order =
          Clients.fresh()
              .contentType("application/json")
              .body("{}")
              .request(method, "/api/courses/some-course/lessons/order");
      assertThat(order.statusCode()).as(method + " " + order.asString()).isEqualTo(405);
      assertThat(order.contentType()).startsWith(Problem.MEDIA_TYPE);
      assertThat(allowed(order)).as(method).containsExactlyInAnyOrder("OPTIONS", "PUT");
    }
    Response search =
        Clients.fresh().contentType("application/json").body("{}").put("/api/courses/search");
    assertThat(search.statusCode()).as(search.asString()).isEqualTo(405);
    assertThat(search.contentType()).startsWith(Problem.MEDIA_TYPE);
    assertThat(allowed(search)).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS");

    // as any other wrong method is answered
    Response me = Clients.fresh().delete("/api/auth/me");
    assertThat(me.statusCode()).isEqualTo(405);
    assertThat(me.contentType()).startsWith(Problem.MEDIA_TYPE);
    assertThat(allowed(me)).contains("GET").doesNotContain("DELETE");
  }

  /**
   * OPTIONS names the methods of the path asked about, not of every path its resource class serves:
   * each one listed is routed (whatever the caller's rights), and a 405 on that path lists the
   * same.
   */
  @Test
  void optionsListsTheMethodsOfThePathAndNoOther() {
    String[] paths = {
      "/api/courses",
      "/api/courses/some-course",
      "/api/courses/some-course/lessons/2",
      "/api/courses/some-course/lessons/order",
      "/api/courses/search",
      "/api/admin/users/7/role",
      "/api/auth/sessions/3",
      "/api/enrollments/5"
    };
    for (String path : paths) {
      Response options = Clients.fresh().options(path);
      assertThat(options.statusCode()).as("OPTIONS " + path).isEqualTo(200);
      Set<String> allowed = allowed(options);
      assertThat(allowed).as(path).contains("OPTIONS");
      for (String method : allowed) {
        assertThat(Clients.fresh().request(method, path).statusCode())
            .as(method + " " + path)
            .isNotEqualTo(405);
      }
      String unlisted =
          Stream.of("GET", "POST", "PUT", "PATCH", "DELETE")
              .filter(m -> !allowed.contains(m))
              .findFirst()
              .orElseThrow();
      Response refused = Clients.fresh().request(unlisted, path);
      assertThat(refused.statusCode()).as(unlisted + " " + path).isEqualTo(405);
      assertThat(allowed(refused)).as(unlisted + " " + path).isEqualTo(allowed);
    }
    assertThat(allowed(Clients.fresh().options("/api/admin/users/7/role")))
        .containsExactlyInAnyOrder("OPTIONS", "PUT");
  }

  @Test
  void optionsOnAPathNoResourceServesIs404() {
    Response response = Clients.fresh().options("/api/courses/some-course/no/such/thing");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
  }
}
