package io.campus.platform.ops;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The write limit belongs to the user, however the Authorization header is spelled. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@TestProfile(WriteLimitTest.SmallWriteBucket.class)
class WriteLimitTest {

  /** Five writes, then (practically) no refill: the test does not depend on timing. */
  public static class SmallWriteBucket implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "campus.ops.rate-limit.writes.capacity", "5",
          "campus.ops.rate-limit.writes.refill-per-second", "0.001");
    }
  }

  @Inject TestData data;

  private int write(String authorization) {
    return given()
        .header("Authorization", authorization)
        .contentType(ContentType.JSON)
        .body(Map.of())
        .post("/api/enrollments")
        .statusCode();
  }

  @Test
  void respellingTheHeaderGivesNoFreshBucket() {
    TestData.Account student = data.account(Role.STUDENT);
    TestData.Account other = data.account(Role.STUDENT);
    List<String> spellings = new ArrayList<>();
    for (int spaces = 1; spaces <= 8; spaces++) {
      spellings.add("Bearer" + " ".repeat(spaces) + student.token());
    }
    List<Integer> statuses = new ArrayList<>();
    for (String spelling : spellings) {
      statuses.add(write(spelling));
    }
    // the body is invalid (400) until the user's five writes are used up, whatever the spelling
    assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 429, 429, 429);
    assertThat(write("Bearer " + other.token())).isEqualTo(400);
  }

  @Test
  void theSchemesCaseAndSurroundingSpacesGiveNoFreshBucketEither() {
    TestData.Account student = data.account(Role.STUDENT);
    String token = student.token();
    List<Integer> statuses = new ArrayList<>();
    for (String spelling :
        List.of(
            "Bearer " + token,
            "bearer " + token,
            "BEARER " + token,
            "bEaReR   " + token,
            "bearer " + token + "   ",
            "Bearer  " + token + " ",
            "BeArEr " + token)) {
      statuses.add(write(spelling));
    }
    assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 429, 429);
  }
}
