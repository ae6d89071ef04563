package io.campus.auth;

import static io.restassured.RestAssured.given;

import io.campus.testsupport.CampusTestResources;
import io.campus.testsupport.TestData;
import io.campus.user.Role;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every use extends a session's idle window; a pause longer than the idle timeout ends it. */
@QuarkusTest
@WithTestResource(value = CampusTestResources.class, scope = TestResourceScope.GLOBAL)
@TestProfile(IdleTimeoutTest.ShortIdleTimeout.class)
class IdleTimeoutTest {

  public static class ShortIdleTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("campus.auth.idle-timeout", "PT5S");
    }
  }

  @Inject TestData data;

  @Test
  void aSessionEndsAfterAPauseLongerThanTheIdleTimeoutEvenWhenCached() throws Exception {
    TestData.Account account = data.account(Role.STUDENT);
    for (int i = 0; i < 7; i++) {
      // used every second: alive well past 5 s after login, served from the cache (the slack
      // leaves room for a slow request on a busy machine)
      given().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(200);
      Thread.sleep(1000);
    }
    given().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(200);
    Thread.sleep(7000);
    given().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(401);
    given().auth().oauth2(account.token()).get("/api/auth/me").then().statusCode(401);
    TestData.Account other = data.account(Role.STUDENT);
    given().auth().oauth2(other.token()).get("/api/auth/me").then().statusCode(200);
  }
}
